import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { closeProducers } from '@/lib/platform/queue/producers';
import { evaluateStoredSnapshot } from '@/lib/services/pipeline/evaluate-stored-snapshot';
import { generateReport } from '@/lib/services/reports/generate-report';
import { downloadReport } from '@/lib/services/reports/read-reports';
import { requestReport } from '@/lib/services/reports/request-report';
import { reportSigner, verifyPdfSignature } from '@/lib/services/reports/signing';
import { createClusterWithToken, createMember, createOrg } from '@/lib/testing/factories';
import { container, deployment, namespace, snapshotOf } from '@/lib/testing/k8s';
import { pushSnapshot } from '@/lib/testing/push';
import { POST } from './route';

// The public verification endpoint, through its real route handler, on reports the real generator made.

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}
afterEach(() => setEnv({ TRUSTED_PROXIES: undefined, VERIFY_RATE_LIMIT_PER_MINUTE: undefined, VERIFY_MAX_UPLOAD_BYTES: undefined }));
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const PERIOD = { periodStart: '2026-04-01', periodEnd: '2026-04-30' };
let acme: { id: string; slug: string; name: string };
let clusterId: string;
let auditor: { ctx: OrgContext };

beforeAll(async () => {
  acme = await createOrg();
  const created = await createClusterWithToken(acme, 'prod-eu');
  clusterId = created.cluster.id;
  const pushed = await pushSnapshot(created.token, snapshotOf([namespace('pay'), deployment({ namespace: 'pay', name: 'ledger' }, { hostPID: true, containers: [container({ name: 'ledger' })] })], { collectedAt: '2026-04-10T00:00:00Z', clusterUid: 'uid-verify' }));
  await evaluateStoredSnapshot(systemContext(acme.id, 'test'), pushed.snapshotId, () => new Date('2026-04-10T00:05:00Z'));
  auditor = await createMember(acme, 'AUDITOR');
}, 60_000);

async function issued(format: 'PDF' | 'CSV' | 'JSON' | 'OSCAL') {
  const report = await requestReport(auditor.ctx, { frameworkId: 'iso27001-2022', format, ...PERIOD });
  await generateReport(systemContext(acme.id, 'generate-report'), report.id);
  const file = await downloadReport(auditor.ctx, report.id);
  return { reportId: report.id, content: Buffer.from(file.content) };
}

async function verify(body: Uint8Array, headers: Record<string, string> = {}) {
  const response = await POST(new Request('http://localhost/api/verify', { method: 'POST', body: Buffer.from(body), headers: { 'content-type': 'application/octet-stream', ...headers } }));
  return { status: response.status, text: await response.text() };
}

function withOneByteChanged(content: Buffer, at: number): Buffer {
  const copy = Buffer.from(content);
  copy[at] = copy[at]! ^ 0x20;
  return copy;
}

describe('POST /api/verify', () => {
  it('confirms a generated PDF: issued, unchanged, signed by the configured certificate, for this organization, framework and period', async () => {
    const { reportId, content } = await issued('PDF');
    expect(verifyPdfSignature(content, reportSigner().fingerprint)).toMatchObject({ status: 'valid', trusted: true });
    const { status, text } = await verify(content);
    expect(status).toBe(200);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toEqual({
      issued: true,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      organization: acme.name,
      framework: { id: 'iso27001-2022', name: 'ISO/IEC 27001:2022 Annex A', version: '2022' },
      format: 'PDF',
      period: { start: '2026-04-01T00:00:00.000Z', end: '2026-04-30T23:59:59.999Z' },
      issuedAt: expect.any(String),
      contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      signature: { status: 'valid', signer: reportSigner().subjectName },
    });
    // The cover prints the verification URL and the content digest the archive keeps (poppler reads the page).
    if (existsSync('/usr/bin/pdftotext')) {
      const cover = execFileSync('/usr/bin/pdftotext', ['-f', '1', '-l', '1', '-', '-'], { input: content, encoding: 'utf8' });
      expect(cover).toContain('http://localhost:3000/verify');
      expect(cover).toContain(body.contentSha256 as string);
      expect(cover).toContain(reportId);
    }
    // Nothing else: no slug, no ids of the report, organization or cluster, no requester.
    for (const secret of [acme.slug, acme.id, reportId, clusterId, 'ledger']) expect(text).not.toContain(secret);
  }, 60_000);

  it('refuses the same PDF with one byte changed, in its text or in its signature', async () => {
    const { content } = await issued('PDF');
    const text = content.toString('latin1');
    for (const at of [text.indexOf('/Title (') + 9, text.indexOf('/Contents <') + 400, content.length - 3]) {
      const { status, text: answer } = await verify(withOneByteChanged(content, at));
      expect(status).toBe(200);
      expect(JSON.parse(answer)).toEqual({ issued: false, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
  }, 60_000);

  it('confirms CSV and OSCAL files by their hash, and refuses them changed', async () => {
    for (const format of ['CSV', 'OSCAL'] as const) {
      const { content } = await issued(format);
      const accepted = JSON.parse((await verify(content)).text) as Record<string, unknown>;
      expect(accepted).toMatchObject({ issued: true, organization: acme.name, format, framework: { id: 'iso27001-2022' }, signature: null });
      expect(JSON.parse((await verify(withOneByteChanged(content, Math.floor(content.length / 2)))).text)).toMatchObject({ issued: false });
    }
  }, 90_000);

  it('refuses an empty body (400) and a file over VERIFY_MAX_UPLOAD_BYTES (413), whatever Content-Length says', async () => {
    expect((await verify(new Uint8Array(0))).status).toBe(400);
    setEnv({ VERIFY_MAX_UPLOAD_BYTES: '2048' });
    const big = Buffer.alloc(4096, 0x41);
    const declared = await verify(big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text)).toMatchObject({ error: { code: 'too_large' } });
    // A stream without Content-Length is cut off at the cap too.
    const streamed = await POST(new Request('http://localhost/api/verify', {
      method: 'POST',
      body: new ReadableStream({ start(controller) { for (let i = 0; i < 4; i += 1) controller.enqueue(new Uint8Array(1024)); controller.close(); } }),
      duplex: 'half',
    } as RequestInit));
    expect(streamed.status).toBe(413);
  });

  it('limits checks per client address behind a trusted proxy (429 with Retry-After)', async () => {
    setEnv({ TRUSTED_PROXIES: '10.0.0.0/8', VERIFY_RATE_LIMIT_PER_MINUTE: '2' });
    // A fresh address each run: the one-minute window lives in Redis.
    const client = `203.0.113.${randomInt(1, 254)}, 10.0.0.${randomInt(1, 254)}`;
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await POST(new Request('http://localhost/api/verify', { method: 'POST', body: 'not a report', headers: { 'x-forwarded-for': client } })));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
