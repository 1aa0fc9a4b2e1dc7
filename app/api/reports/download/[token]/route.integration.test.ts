import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { AppError } from '@/lib/platform/errors';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createMember, createOrg } from '@/lib/testing/factories';
import { signDownloadLink, verifyDownloadLink } from '@/lib/services/reports/download-link';
import { generateReport } from '@/lib/services/reports/generate-report';
import { downloadByExternalLink, openDownloadLink } from '@/lib/services/reports/link-download';
import { requestReport } from '@/lib/services/reports/request-report';
import { approveExternalRecipient, removeExternalRecipient } from '@/lib/services/reports/schedules';
import { GET } from './route';

/** The mailed link of a scheduled report (issue 20): signature, expiry, external addresses' approval. */
afterAll(async () => { await closeProducers(); await disconnectDb(); });

let acme: { id: string; slug: string };
let auditor: { user: { id: string; email: string }; ctx: OrgContext };
let admin: { user: { id: string; email: string }; ctx: OrgContext };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('signed download links', () => {
  let reportId: string;
  beforeAll(async () => {
    acme = await createOrg();
    auditor = await createMember(acme, 'AUDITOR');
    admin = await createMember(acme, 'ADMIN');
    reportId = (await requestReport(auditor.ctx, { frameworkId: 'iso27001-2022', format: 'CSV', periodStart: '2026-04-01', periodEnd: '2026-04-30' })).id;
    await generateReport(systemContext(acme.id, 'generate-report'), reportId);
    await approveExternalRecipient(admin.ctx, { email: 'second@example-audit.test' });
  });

  const external = (expiresAt: Date, email = 'second@example-audit.test') => signDownloadLink({ reportId, organizationId: acme.id, recipient: { kind: 'external', email }, expiresAt });

  async function get(token: string) {
    return GET(new Request(`http://localhost/api/reports/download/${token}`), { params: Promise.resolve({ token }) });
  }

  it('downloads the file with an approved external address\'s link, and audits it', async () => {
    const response = await get(external(new Date(Date.now() + 3_600_000)));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const report = await dbFor({ organizationId: acme.id }).report.findUniqueOrThrow({ where: { id: reportId }, omit: { content: false } });
    expect(response.headers.get('x-content-sha256')).toBe(report.sha256);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(report.content!))).toBe(true);
    const audit = await dbFor({ organizationId: acme.id }).auditLog.findFirst({ where: { targetId: reportId, action: 'report.downloaded' }, orderBy: { seq: 'desc' } });
    expect(audit?.actorType).toBe('system');
  });

  it('answers a tampered link 404, an expired one 410, and an address no longer approved 403', async () => {
    const good = external(new Date(Date.now() + 3_600_000));
    const [payload, signature] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), s: 'someone@else.test' })).toString('base64url');
    expect((await get(`${forged}.${signature}`)).status).toBe(404);
    expect((await get(`${payload}.${signature!.slice(0, -2)}AA`)).status).toBe(404);
    expect((await get('not-a-token')).status).toBe(404);
    const expired = await get(external(new Date(Date.now() - 1_000)));
    expect(expired.status).toBe(410);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('gone');
    expect(verifyDownloadLink(good).ok).toBe(true);

    const [recipient] = await dbFor({ organizationId: acme.id }).reportExternalRecipient.findMany({ where: { email: 'second@example-audit.test' } });
    await removeExternalRecipient(admin.ctx, { recipientId: recipient!.id });
    expect((await get(good)).status).toBe(403);
  });

  it('does not let a member\'s link through without the member signed in', async () => {
    const token = signDownloadLink({ reportId, organizationId: acme.id, recipient: { kind: 'member', userId: auditor.user.id }, expiresAt: new Date(Date.now() + 3_600_000) });
    const { link, organizationSlug } = await openDownloadLink(token);
    expect(organizationSlug).toBe(acme.slug);
    expect((await refusal(downloadByExternalLink(link, organizationSlug))).status).toBe(403);
  });
});
