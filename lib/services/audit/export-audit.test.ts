import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from './export-audit';

describe('audit CSV fields', () => {
  it('leaves plain text, numbers and empty values as they are', () => {
    expect(csvField('finding.acknowledged')).toBe('finding.acknowledged');
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
    expect(csvField(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });

  it('quotes fields with commas, quotes or line breaks, doubling inner quotes (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField({ note: 'x,"y"' })).toBe('"{""note"":""x,\\""y\\""""}"');
  });

  it('neutralises spreadsheet formulas in text cells', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-5)).toBe('-5'); // a real number stays a number
  });

  it('ends each record with CRLF', () => {
    expect(csvRecord(['a', 1, null])).toBe('a,1,\r\n');
  });
});
