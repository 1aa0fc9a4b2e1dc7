import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { drawAppendix, drawOpenFindings } from './pdf-findings';
import { COLOR, CONTENT_WIDTH, FONT, PAGE, type Doc } from './pdf-layout';
import { drawAccessReviews } from './pdf-access-reviews';
import { drawAcceptances, drawCover, drawManualRequirements, drawMethodology, drawRequirements, drawSummary, type CoverVerification } from './pdf-sections';
import { drawEvidence, drawStatementOfApplicability } from './pdf-soa';
import { addSignaturePlaceholder, type SignaturePlaceholder } from './pdf-signature';
import type { ReportData } from './types';

/** TrueType font files (DejaVu Sans): the caller reads them; renderers do no I/O. */
export type PdfFonts = { regular: Uint8Array; bold: Uint8Array };

export type PdfOptions = {
  /** false leaves page content streams uncompressed (tests read the text from the raw bytes). */
  compress?: boolean;
  /** Printed on the cover: where to verify the file, and the digest of the report's content. */
  verification?: CoverVerification;
  /** Leaves room for a CMS signature (the caller signs the rendered bytes with @signpdf/signpdf). */
  signature?: SignaturePlaceholder;
};

/** "Page N of M" needs M, so pages stay buffered until every section is written, then get their footers. */
function drawFooters(doc: Doc, data: ReportData): void {
  const range = doc.bufferedPageRange();
  const left = `Bulwark · ${data.header.organization.name} · ${data.header.framework.id} · as of ${data.header.period.end.slice(0, 10)}`;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    // Text below the bottom margin would make pdfkit start a new page; the footer sits in the margin on purpose.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - 38;
    doc.moveTo(PAGE.margin.left, y - 6).lineTo(PAGE.margin.left + CONTENT_WIDTH, y - 6).lineWidth(0.4).strokeColor(COLOR.rule).stroke();
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOR.muted);
    doc.text(left, PAGE.margin.left, y, { width: CONTENT_WIDTH - 110, height: 10, ellipsis: true, lineBreak: false });
    doc.text(`Page ${index - range.start + 1} of ${range.count}`, PAGE.margin.left + CONTENT_WIDTH - 110, y, { width: 110, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}

/**
 * pdfkit keeps every write to a page's content stream as its own small byte array until the document ends, and
 * with buffered pages (needed for "of M") that is every page of the report: about 700 MB for 20,000 findings.
 * Once a page is finished we join its pieces into one array (pdfkit 0.20 keeps them in `content.buffer`; if a
 * later version doesn't, this does nothing and only memory use changes).
 */
function compactFinishedPages(doc: Doc): void {
  let previous: PDFKit.PDFPage | null = null;
  doc.on('pageAdded', () => {
    const content = previous?.content as unknown as { buffer?: unknown } | undefined;
    if (content && Array.isArray(content.buffer) && content.buffer.length > 1 && content.buffer.every((chunk) => chunk instanceof Uint8Array)) {
      content.buffer = [Buffer.concat(content.buffer as Uint8Array[])];
    }
    previous = doc.page;
  });
}

async function drawReport(doc: Doc, data: ReportData, options: PdfOptions): Promise<void> {
  drawCover(doc, data, options.verification);
  drawSummary(doc, data);
  drawRequirements(doc, data);
  // The organization's own framework has no Statement of Applicability or evidence register of its own.
  if (!data.header.framework.own) {
    drawStatementOfApplicability(doc, data);
    drawEvidence(doc, data);
  }
  drawAccessReviews(doc, data);
  drawAcceptances(doc, data);
  await drawOpenFindings(doc, data);
  drawManualRequirements(doc, data);
  drawMethodology(doc, data, options.verification);
  await drawAppendix(doc, data);
  drawFooters(doc, data);
  if (options.signature) {
    doc.switchToPage(doc.bufferedPageRange().start);
    addSignaturePlaceholder(doc, options.signature);
  }
}

/**
 * Renders the PDF report into a byte stream. Sections are drawn as the findings pages arrive; the stream ends
 * when the document is complete, or errors if drawing fails. The caller consumes it (the worker hashes and
 * stores it; a test writes it to a file).
 */
export function renderPdf(data: ReportData, fonts: PdfFonts, options: PdfOptions = {}): AsyncIterable<Uint8Array> {
  const doc: Doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    compress: options.compress ?? true,
    size: PAGE.size,
    margins: PAGE.margin,
    displayTitle: true,
    info: {
      Title: `${data.header.framework.name}${data.header.framework.own ? '' : ` ${data.header.framework.version}`}: ${data.header.organization.name}, as of ${data.header.period.end.slice(0, 10)}`,
      Author: 'Bulwark',
      Subject: `Compliance report ${data.header.reportId}`,
      CreationDate: new Date(data.header.generatedAt),
    },
  });
  doc.registerFont(FONT.regular, fonts.regular);
  doc.registerFont(FONT.bold, fonts.bold);
  compactFinishedPages(doc);
  // pdfkit's document is a Node Readable; a failure while drawing ends the stream with the error.
  drawReport(doc, data, options).then(() => doc.end(), (error: unknown) => (doc as unknown as Readable).destroy(error instanceof Error ? error : new Error(String(error))));
  return bytesOf(doc);
}

async function* bytesOf(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
}
