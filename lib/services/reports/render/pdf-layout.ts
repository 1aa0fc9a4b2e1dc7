/**
 * Page geometry, text helpers and a table writer for the PDF report. Everything here keeps text inside the
 * page: table cells are clipped to a number of lines with an ellipsis, rows never straddle a page break, and
 * a table's header row is drawn again at the top of every page it continues on.
 */

export type Doc = PDFKit.PDFDocument;

export const PAGE = { size: 'A4', width: 595.28, height: 841.89, margin: { top: 54, bottom: 60, left: 48, right: 48 } } as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;
export const BOTTOM = PAGE.height - PAGE.margin.bottom;

export const FONT = { regular: 'Bulwark-Regular', bold: 'Bulwark-Bold' } as const;

export const COLOR = {
  text: '#0f172a',
  muted: '#64748b',
  rule: '#cbd5e1',
  stripe: '#f1f5f9',
  header: '#1e293b',
  brand: '#2753e0',
  pass: '#047857',
  fail: '#b91c1c',
  accepted: '#6d28d9',
  manual: '#b45309',
  na: '#64748b',
} as const;

/** Collapses whitespace and drops control characters, so a cell is one run of text the wrapper can measure. */
export function cleanText(value: string | null | undefined): string {
  if (!value) return '';
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim();
}

export function addPage(doc: Doc): void {
  doc.addPage({ size: PAGE.size, margins: PAGE.margin });
  doc.x = PAGE.margin.left;
  doc.y = PAGE.margin.top;
}

/** Starts a new page unless `height` more points fit under the cursor. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) addPage(doc);
}

export function heading(doc: Doc, text: string, options: { size?: number; outline?: boolean; newPage?: boolean } = {}): void {
  if (options.newPage) addPage(doc);
  const size = options.size ?? 16;
  ensureSpace(doc, size * 3);
  if (options.outline !== false && size >= 14) doc.outline.addItem(text);
  doc.font(FONT.bold).fontSize(size).fillColor(COLOR.text).text(text, PAGE.margin.left, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(size >= 14 ? 0.5 : 0.3);
}

/** Flowing text; it may continue on the next page (pdfkit breaks pages for text without a height). */
export function paragraph(doc: Doc, text: string, options: { size?: number; color?: string; bold?: boolean; gap?: number } = {}): void {
  doc.font(options.bold ? FONT.bold : FONT.regular).fontSize(options.size ?? 9.5).fillColor(options.color ?? COLOR.text);
  ensureSpace(doc, doc.currentLineHeight(true) * 2);
  doc.text(text, PAGE.margin.left, doc.y, { width: CONTENT_WIDTH, lineGap: 1.5 });
  doc.moveDown(options.gap ?? 0.6);
}

/**
 * Text at a fixed place, at most `maxLines` lines of `width`, ending in "…" when cut. With a height, pdfkit's
 * line wrapper never starts a new page, so a long value can't push the layout around.
 */
export function clippedText(doc: Doc, text: string, x: number, y: number, width: number, maxLines: number, options: { align?: 'left' | 'right' | 'center' } = {}): void {
  const lineHeight = doc.currentLineHeight(true);
  doc.text(text, x, y, { width, height: lineHeight * maxLines + 0.5, ellipsis: true, align: options.align ?? 'left', lineGap: 0 });
}

/** How many lines `text` takes at `width` in the current font, capped at `maxLines`. */
export function linesOf(doc: Doc, text: string, width: number, maxLines: number): number {
  if (maxLines <= 1 || text === '') return 1;
  const lineHeight = doc.currentLineHeight(true);
  // A quick upper bound first: most cells are short and need no measuring.
  if (doc.widthOfString(text) <= width) return 1;
  return Math.max(1, Math.min(maxLines, Math.round(doc.heightOfString(text, { width, lineGap: 0 }) / lineHeight)));
}

export type Column<T> = {
  header: string;
  width: number;
  value: (row: T) => string;
  maxLines?: number;
  bold?: boolean;
  align?: 'left' | 'right' | 'center';
  color?: (row: T) => string;
};

const CELL_PAD_X = 3;
const CELL_PAD_Y = 2.5;

/**
 * Writes rows one at a time, so a table can come from a stream of pages. `begin()` draws the header; every
 * `row()` that would cross the bottom margin starts a new page and repeats the header (with a caption naming
 * the table) before it.
 */
export class TableWriter<T> {
  private rows = 0;
  private readonly fontSize: number;

  constructor(private readonly doc: Doc, private readonly columns: readonly Column<T>[], private readonly caption: string, options: { fontSize?: number } = {}) {
    this.fontSize = options.fontSize ?? 7.5;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    if (total > CONTENT_WIDTH + 0.5) throw new Error(`table "${caption}" is ${total}pt wide; the page has ${CONTENT_WIDTH}pt`);
  }

  private lineHeight(): number {
    return this.doc.font(FONT.regular).fontSize(this.fontSize).currentLineHeight(true);
  }

  private drawHeader(continued: boolean): void {
    const { doc } = this;
    if (continued) {
      doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted).text(`${this.caption} (continued)`, PAGE.margin.left, doc.y, { width: CONTENT_WIDTH, lineBreak: false });
      doc.y += 3;
    }
    const height = this.lineHeight() + CELL_PAD_Y * 2;
    const top = doc.y;
    doc.rect(PAGE.margin.left, top, CONTENT_WIDTH, height).fill(COLOR.header);
    doc.font(FONT.bold).fontSize(this.fontSize).fillColor('#ffffff');
    let x = PAGE.margin.left;
    for (const column of this.columns) {
      clippedText(doc, column.header, x + CELL_PAD_X, top + CELL_PAD_Y, column.width - CELL_PAD_X * 2, 1, { align: column.align });
      x += column.width;
    }
    doc.y = top + height;
  }

  begin(): this {
    ensureSpace(this.doc, (this.lineHeight() + CELL_PAD_Y * 2) * 3);
    this.drawHeader(false);
    return this;
  }

  row(row: T): void {
    const { doc } = this;
    const lineHeight = this.lineHeight();
    const cells = this.columns.map((column) => {
      const text = cleanText(column.value(row));
      doc.font(column.bold ? FONT.bold : FONT.regular).fontSize(this.fontSize);
      return { column, text, lines: linesOf(doc, text, column.width - CELL_PAD_X * 2, column.maxLines ?? 1) };
    });
    const height = Math.max(...cells.map((cell) => cell.lines)) * lineHeight + CELL_PAD_Y * 2;
    if (doc.y + height > BOTTOM) {
      addPage(doc);
      this.drawHeader(true);
    }
    const top = doc.y;
    if (this.rows % 2 === 1) doc.rect(PAGE.margin.left, top, CONTENT_WIDTH, height).fill(COLOR.stripe);
    let x = PAGE.margin.left;
    for (const { column, text, lines } of cells) {
      doc.font(column.bold ? FONT.bold : FONT.regular).fontSize(this.fontSize).fillColor(column.color?.(row) ?? COLOR.text);
      clippedText(doc, text, x + CELL_PAD_X, top + CELL_PAD_Y, column.width - CELL_PAD_X * 2, lines, { align: column.align });
      x += column.width;
    }
    doc.y = top + height;
    this.rows += 1;
  }

  /** Closes the table with a rule and some space; says so when it had no rows. */
  end(emptyText = 'None.'): void {
    const { doc } = this;
    if (this.rows === 0) {
      doc.font(FONT.regular).fontSize(8).fillColor(COLOR.muted).text(emptyText, PAGE.margin.left + CELL_PAD_X, doc.y + CELL_PAD_Y, { width: CONTENT_WIDTH - CELL_PAD_X * 2, lineBreak: false });
      doc.y += 12;
    }
    doc.moveTo(PAGE.margin.left, doc.y).lineTo(PAGE.margin.left + CONTENT_WIDTH, doc.y).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
    doc.y += 12;
    doc.x = PAGE.margin.left;
  }

  get count(): number {
    return this.rows;
  }
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '';
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '';
}
