import { createHash } from 'node:crypto';
import { FRAMEWORKS } from '../../analysis/frameworks';
import { findIssuedReportBySha256 } from '../../platform/db/report-verify-sql';
import { logger } from '../../platform/log';
import { reportSigner, verifyPdfSignature } from './signing';

const log = logger.child({ component: 'report-verify' });

/**
 * The PDF's embedded signature: `valid` (verifies, and is by the certificate this Bulwark signs with now),
 * `valid-earlier-certificate` (verifies, by the certificate recorded when the report was issued, since rotated),
 * `invalid`, or `unsigned` (a PDF issued before reports were signed). Null for CSV, JSON and OSCAL.
 */
export type SignatureVerdict = 'valid' | 'valid-earlier-certificate' | 'invalid' | 'unsigned';

/**
 * What /verify answers, and all it answers: whether this Bulwark issued the file unchanged, and if so for which
 * organization (its name only), framework, period, in which format and when. No ids, slug, findings or requester.
 */
export type VerifyReportResult =
  | {
    issued: true;
    sha256: string;
    organization: string;
    framework: { id: string; name: string; version: string };
    format: 'PDF' | 'CSV' | 'JSON' | 'OSCAL';
    period: { start: string; end: string };
    issuedAt: string;
    contentSha256: string | null;
    signature: { status: SignatureVerdict; signer: string | null } | null;
  }
  | { issued: false; sha256: string };

/**
 * Checks a file someone holds against the archive: its SHA-256 must be that of a report this Bulwark finished
 * (a changed byte changes it); a PDF's embedded signature is checked as well, against the certificate this
 * deployment signs with (or, after a rotation, the one recorded with the report). Cross-tenant by design, through
 * one narrow lookup (lib/platform/db/report-verify-sql.ts).
 */
export async function verifyReportFile(bytes: Uint8Array): Promise<VerifyReportResult> {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sha256 = createHash('sha256').update(file).digest('hex');
  const report = await findIssuedReportBySha256(sha256);
  if (!report) {
    log.info({ sha256, sizeBytes: file.length, issued: false }, 'report verification');
    return { issued: false, sha256 };
  }
  let signature: { status: SignatureVerdict; signer: string | null } | null = null;
  if (report.format === 'PDF') {
    const check = verifyPdfSignature(file, reportSigner().fingerprint);
    if (check.status === 'valid') {
      const status = check.trusted ? 'valid' : check.signerFingerprint === report.signerFingerprint ? 'valid-earlier-certificate' : 'invalid';
      signature = { status, signer: check.signerName };
    } else {
      signature = { status: check.status, signer: null };
    }
  }
  const framework = FRAMEWORKS.find((candidate) => candidate.id === report.frameworkId);
  log.info({ sha256, sizeBytes: file.length, issued: true, format: report.format, signature: signature?.status ?? null }, 'report verification');
  return {
    issued: true,
    sha256,
    organization: report.organizationName,
    framework: { id: report.frameworkId, name: framework?.name ?? report.frameworkId, version: framework?.version ?? '' },
    format: report.format,
    period: { start: report.periodStart.toISOString(), end: report.periodEnd.toISOString() },
    issuedAt: report.issuedAt.toISOString(),
    contentSha256: report.contentSha256,
    signature,
  };
}
