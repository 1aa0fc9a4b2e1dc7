import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import type { ReportFormat } from '../../platform/db/client';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { loadReportData } from './report-data';
import { reportContentDigest } from './render/content-digest';
import { reportSigner, signPdf, type ReportSigner } from './signing';
import { renderCsv } from './render/csv';
import { renderJson } from './render/json';
import { renderOscal } from './render/oscal';
import { renderPdf, type PdfFonts } from './render/pdf';
import type { ReportData } from './render/types';

const log = logger.child({ component: 'reports' });

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  PDF: 'application/pdf',
  CSV: 'text/csv; charset=utf-8',
  JSON: 'application/json',
  OSCAL: 'application/json',
};
const EXTENSIONS: Record<ReportFormat, string> = { PDF: 'pdf', CSV: 'csv', JSON: 'json', OSCAL: 'oscal-ar.json' };
/** How many times each renderer reads the findings (the PDF lists open ones, then all of them), plus the content digest's pass. */
const RENDER_PASSES: Record<ReportFormat, number> = { PDF: 3, CSV: 2, JSON: 2, OSCAL: 1 };

/** The public page that checks a report file: printed on the PDF's cover and in its methodology. */
export function verificationUrl(appUrl: string = env().APP_URL): string {
  return `${appUrl.replace(/\/+$/, '')}/verify`;
}

/** bulwark-acme-iso27001-2022-2026-11-23.pdf: organization, framework, and the day the period ends. */
export function reportFileName(orgSlug: string, frameworkId: string, periodEnd: Date, format: ReportFormat): string {
  const safe = (value: string) => value.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `bulwark-${safe(orgSlug)}-${safe(frameworkId)}-${periodEnd.toISOString().slice(0, 10)}.${EXTENSIONS[format]}`;
}

let fonts: Promise<PdfFonts> | undefined;
/** DejaVu Sans from the dejavu-fonts-ttf package, read once per process (renderers do no I/O themselves). */
function readFonts(): Promise<PdfFonts> {
  const require = createRequire(import.meta.url);
  fonts ??= Promise.all([
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  ]).then(([regular, bold]) => ({ regular, bold }));
  return fonts;
}

type PdfSigning = { signer: ReportSigner; contentSha256: string; signingTime: Date };

async function render(format: ReportFormat, data: ReportData, pdf: PdfSigning | null): Promise<AsyncIterable<string | Uint8Array>> {
  switch (format) {
    case 'PDF':
      if (!pdf) throw new Error('a PDF report needs its signer');
      return renderPdf(data, await readFonts(), {
        verification: { url: verificationUrl(), contentSha256: pdf.contentSha256, signed: true },
        signature: {
          name: pdf.signer.subjectName,
          reason: `Compliance report ${data.header.reportId} issued by Bulwark`,
          location: verificationUrl(),
          contactInfo: verificationUrl(),
          signingTime: pdf.signingTime,
        },
      });
    case 'CSV': return renderCsv(data);
    case 'JSON': return renderJson(data);
    case 'OSCAL': return renderOscal(data);
  }
}

async function collect(chunks: AsyncIterable<string | Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    parts.push(bytes);
    size += bytes.byteLength;
  }
  const content = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    content.set(part, offset);
    offset += part.byteLength;
  }
  return content;
}

/** Hashes exactly the bytes that are stored, so the row's sha256 is the sha256 of every download. */
function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Progress 0..100 on the row, written only when it moved by 5 points or more (a 20,000-finding PDF reads 30 pages). */
function progressWriter(db: TenantDb, reportId: string) {
  let written = 0;
  return async (value: number) => {
    const next = Math.max(0, Math.min(99, Math.floor(value)));
    if (next < written + 5) return;
    written = next;
    await db.report.update({ where: { id: reportId }, data: { progress: next } });
  };
}

export type GenerateReportOutcome =
  | { outcome: 'done'; reportId: string; sha256: string; sizeBytes: number; fileName: string }
  | { outcome: 'skipped'; reason: 'not-found' | 'already-done' };

/**
 * Builds a requested report: RUNNING with progress, the data as of the period end, rendered in the requested
 * format, then content, size, sha256, file name and content type stored with DONE and a `report.generated`
 * audit entry in one transaction. Safe to retry: a DONE report is left alone, anything else starts over.
 */
export async function generateReport(ctx: OrgContext, reportId: string, now: () => Date = () => new Date()): Promise<GenerateReportOutcome> {
  const db = dbFor(ctx);
  const report = await db.report.findUnique({ where: { id: reportId } });
  if (!report) return { outcome: 'skipped', reason: 'not-found' };
  if (report.status === 'DONE') return { outcome: 'skipped', reason: 'already-done' };
  await db.report.update({ where: { id: reportId }, data: { status: 'RUNNING', progress: 1, error: null } });

  const started = performance.now();
  const setProgress = progressWriter(db, reportId);
  const passes = 1 + RENDER_PASSES[report.format];
  let rowsRead = 0;
  const data = await loadReportData(ctx, report, {
    generatedAt: now(),
    onRowsRead: async (rows, totalRows) => {
      rowsRead += rows;
      if (totalRows > 0) await setProgress(5 + (85 * rowsRead) / (totalRows * passes));
    },
  });
  // What the report says, digested before rendering: the PDF prints it on its cover (a file cannot hold its own hash).
  const contentSha256 = await reportContentDigest(data);
  await setProgress(5 + 85 / passes);
  const signer = report.format === 'PDF' ? reportSigner() : null;
  const signingTime = now();
  let content = await collect(await render(report.format, data, signer ? { signer, contentSha256, signingTime } : null));
  if (signer) content = new Uint8Array(await signPdf(content, signer, signingTime));
  const sha256 = sha256Of(content);
  await setProgress(95);

  const organization = await db.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { slug: true } });
  const fileName = reportFileName(organization.slug, report.frameworkId, report.periodEnd, report.format);
  await db.$transaction(async (tx) => {
    await tx.report.update({
      where: { id: reportId },
      data: {
        status: 'DONE', progress: 100, content, sha256, contentSha256, signerFingerprint: signer?.fingerprint ?? null, sizeBytes: content.length, fileName,
        contentType: REPORT_CONTENT_TYPES[report.format], finishedAt: now(), error: null,
      },
    });
    await writeAudit(tx, ctx, {
      action: 'report.generated', targetType: 'Report', targetId: reportId,
      after: { frameworkId: report.frameworkId, format: report.format, fileName, sha256, contentSha256, signerFingerprint: signer?.fingerprint ?? null, sizeBytes: content.length, requestedById: report.requestedById },
    });
  });
  log.info({ organizationId: ctx.organizationId, reportId, format: report.format, sizeBytes: content.length, findings: data.summary.findings.total, ms: Math.round(performance.now() - started) }, 'report generated');
  return { outcome: 'done', reportId, sha256, sizeBytes: content.length, fileName };
}

/** The last attempt failed: the archive shows FAILED with the reason, and the audit log records it. */
export async function markReportFailed(ctx: OrgContext, reportId: string, error: string): Promise<void> {
  await dbFor(ctx).$transaction(async (tx) => {
    const updated = await tx.report.updateMany({
      where: { id: reportId, status: { in: ['QUEUED', 'RUNNING'] } },
      data: { status: 'FAILED', error: error.slice(0, 2_000), finishedAt: new Date() },
    });
    if (updated.count > 0) await writeAudit(tx, ctx, { action: 'report.failed', targetType: 'Report', targetId: reportId, after: { error: error.slice(0, 500) } });
  });
}
