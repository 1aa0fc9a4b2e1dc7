import { systemDb } from './tenant';

/** What /verify may say about an issued report: the organization's name and the report's own facts, nothing else. */
export type IssuedReport = {
  organizationName: string;
  frameworkId: string;
  format: 'PDF' | 'CSV' | 'JSON' | 'OSCAL';
  periodStart: Date;
  periodEnd: Date;
  issuedAt: Date;
  contentSha256: string | null;
  signerFingerprint: string | null;
};

/**
 * The one cross-tenant read of /verify: a finished report whose stored file has this SHA-256, whoever issued it
 * ("Report_sha256_idx"; listed in CROSS_TENANT_INDEXES). Returns only the fields the public page shows: no ids, no
 * slug, no content, no requester. Two reports with the same bytes cannot exist (each carries its own report id and
 * generation time); the oldest is taken if they ever did.
 */
export async function findIssuedReportBySha256(sha256: string): Promise<IssuedReport | null> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  const row = await systemDb().report.findFirst({
    where: { sha256, status: 'DONE' },
    orderBy: { createdAt: 'asc' },
    select: {
      frameworkId: true, format: true, periodStart: true, periodEnd: true, finishedAt: true, createdAt: true,
      contentSha256: true, signerFingerprint: true, organization: { select: { name: true } },
    },
  });
  if (!row) return null;
  return {
    organizationName: row.organization.name,
    frameworkId: row.frameworkId,
    format: row.format,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    issuedAt: row.finishedAt ?? row.createdAt,
    contentSha256: row.contentSha256,
    signerFingerprint: row.signerFingerprint,
  };
}
