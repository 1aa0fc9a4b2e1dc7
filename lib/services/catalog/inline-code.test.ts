import { describe, expect, it } from 'vitest';
import { CATALOG } from '@/lib/analysis/controls/catalog';
import { splitInlineCode } from './inline-code';

describe('inline code in catalog prose', () => {
  it('turns `spans` into code parts and leaves the rest as text', () => {
    expect(splitInlineCode('Remove the verbs, or use `resourceNames` on named roles.')).toEqual([
      { code: false, text: 'Remove the verbs, or use ' }, { code: true, text: 'resourceNames' }, { code: false, text: ' on named roles.' },
    ]);
    expect(splitInlineCode('`escalate` or `bind`')).toEqual([{ code: true, text: 'escalate' }, { code: false, text: ' or ' }, { code: true, text: 'bind' }]);
  });

  it('keeps an unclosed backtick as text, and matches runs of the same length', () => {
    expect(splitInlineCode('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
    expect(splitInlineCode('``a ` b``')).toEqual([{ code: true, text: 'a ` b' }]);
    expect(splitInlineCode('`` `x` ``')).toEqual([{ code: true, text: '`x`' }]);
  });

  it('never yields HTML: markup inside or outside a span is text to render', () => {
    expect(splitInlineCode('<img src=x onerror=alert(1)> `<b>`')).toEqual([
      { code: false, text: '<img src=x onerror=alert(1)> ' }, { code: true, text: '<b>' },
    ]);
  });

  it('leaves no backtick in the rendered text of any catalog rationale or description', () => {
    for (const control of CATALOG) {
      for (const text of [control.rationale, control.description ?? '']) {
        const plain = splitInlineCode(text).filter((part) => !part.code).map((part) => part.text).join('');
        expect(plain, control.id).not.toContain('`');
      }
    }
  });
});
