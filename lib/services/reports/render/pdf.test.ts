import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPdf } from './pdf';
import { sampleReportData } from './sample-report';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const FONT_DIR = path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf');
const FONTS = { regular: readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')), bold: readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
// Written where a person can open them after a run (artifacts/ is git-ignored).
const OUT_DIR = path.join(ROOT, 'artifacts/reports');
// Debian's poppler-utils; a fresh CI machine may not have it, and then the test reads the raw PDF instead
// (REPORT_TEST_RAW_PDF=1 forces that path where poppler is installed).
const PDFTOTEXT = '/usr/bin/pdftotext';
const HAS_POPPLER = existsSync(PDFTOTEXT) && process.env.REPORT_TEST_RAW_PDF !== '1';

async function render(findings: number, compress: boolean): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of renderPdf(sampleReportData({ findings }), FONTS, { compress })) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function pageCount(pdf: Buffer): number {
  // pdfkit writes no object streams: every page is a plain "/Type /Page" dictionary.
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/**
 * Text of an uncompressed pdfkit PDF without poppler. Embedded fonts draw glyph ids, not characters, so each
 * font's ToUnicode map (pdfkit writes them as bfrange arrays) decodes every TJ string; the result is one text
 * per font, each right only for the runs drawn in that font, which is enough to search for a phrase.
 */
function rawText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const maps = [...raw.matchAll(/beginbfrange\n([\s\S]*?)endbfrange/g)].map((match) => {
    const map = new Map<number, string>();
    for (const range of (match[1] ?? '').matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/g)) {
      const start = Number.parseInt(range[1] ?? '0', 16);
      [...(range[2] ?? '').matchAll(/<([0-9a-f ]+)>/g)].forEach((entry, i) => {
        map.set(start + i, String.fromCharCode(...(entry[1] ?? '').split(' ').map((hex) => Number.parseInt(hex, 16))));
      });
    }
    return map;
  });
  const runs = [...raw.matchAll(/\[([^\]]*)\] TJ/g)].map((match) => [...(match[1] ?? '').matchAll(/<([0-9a-f]+)>/g)].map((hex) => hex[1] ?? ''));
  return maps.map((map) => runs.map((run) => run.map((hex) => (hex.match(/.{4}/g) ?? []).map((id) => map.get(Number.parseInt(id, 16)) ?? '').join('')).join('')).join('\n'));
}

/** Text of some pages, and the page count, from poppler when installed, else from the raw bytes. */
function inspect(pdf: Buffer, name: string, pages: { first: number; last: number } | null = null): { pages: number; text: string } {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, name);
  writeFileSync(file, pdf);
  if (!HAS_POPPLER) return { pages: pageCount(pdf), text: rawText(pdf).join('\n') };
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return { pages: pageCount(pdf), text: execFileSync(PDFTOTEXT, ['-layout', ...range, file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }) };
}

describe('the PDF report', () => {
  it('renders 10 findings with every section, numbered "Page N of M"', async () => {
    const pdf = await render(10, HAS_POPPLER);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = inspect(pdf, 'sample-10.pdf');
    expect(pages).toBeGreaterThan(5);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    for (const section of ['Compliance report', 'Executive summary', 'Requirements', 'Statement of Applicability', 'Evidence', 'Exceptions and risk acceptances', 'Open findings by severity', 'Manual requirements', 'Methodology', 'Appendix: findings']) {
      expect(text).toContain(section);
    }
    // Every requirement has a row, the last one included.
    expect(text).toContain('A.5.1');
    expect(text).toContain('A.8.34');
    expect(text).toContain('Olivia Owner');
    // Long values are cut with an ellipsis instead of running off the page.
    expect(text).toContain('…');
  }, 60_000);

  it('renders 20,000 findings onto many more pages, still numbered "Page N of M"', async () => {
    const small = pageCount(await render(10, true));
    const pdf = await render(20_000, HAS_POPPLER);
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(small * 20);
    const { text } = inspect(pdf, 'sample-20000.pdf', { first: 1, last: 2 });
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page 2 of ${pages}`);
    if (HAS_POPPLER) {
      const last = execFileSync(PDFTOTEXT, ['-f', String(pages), '-l', String(pages), path.join(OUT_DIR, 'sample-20000.pdf'), '-'], { encoding: 'utf8' });
      expect(last).toContain(`Page ${pages} of ${pages}`);
      expect(last).toContain('Findings (continued)');
    }
  }, 300_000);

  it('keeps reading every finding page before the stream ends', async () => {
    let pagesRead = 0;
    const data = sampleReportData({ findings: 50, pageSize: 10 });
    const findings = data.findings;
    data.findings = (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const page of findings(options)) { pagesRead += 1; yield page; }
      },
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of renderPdf(data, FONTS)) chunks.push(chunk);
    expect(pagesRead).toBeGreaterThanOrEqual(5 + 1); // the appendix reads all 5 pages; the open-findings pass at least one
    expect(Buffer.concat(chunks).subarray(-6).toString()).toContain('%%EOF');
  }, 60_000);
});
