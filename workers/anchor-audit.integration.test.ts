import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { disconnectDb } from '@/lib/platform/db/client';
import { resetEnvForTests } from '@/lib/platform/env';
import { createMember, createOrg } from '@/lib/testing/factories';
import { rewriteAuditHistory } from '@/lib/testing/rewrite-audit-history';
import { JOBS } from '@/lib/platform/queue/jobs';
import { writeAudit } from '@/lib/services/audit/write-audit';
import { ANCHOR_ACTION } from '@/lib/services/audit/anchor-audit';
import { processMaintenance } from './maintenance';

afterAll(() => disconnectDb());

const KEY = 'test-audit-signing-key-0123456789abcdef';
const ROOT = path.resolve(import.meta.dirname, '..');

describe('the daily audit anchor job and `admin audit:verify`', () => {
  it('anchors with AUDIT_SIGNING_KEY, and audit:verify names the anchor a rewritten history broke', async () => {
    const org = await createOrg();
    const { ctx } = await createMember(org, 'ADMIN');
    for (let i = 0; i < 3; i++) await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'finding.false_positive', targetType: 'Finding', targetId: String(i) }));
    process.env.AUDIT_SIGNING_KEY = KEY;
    resetEnvForTests();
    try {
      await processMaintenance({ name: JOBS.anchorAuditChains, data: {} } as Job);
    } finally {
      delete process.env.AUDIT_SIGNING_KEY;
      resetEnvForTests();
    }
    expect(await systemDb().auditLog.count({ where: { organizationId: org.id, action: ANCHOR_ACTION } })).toBe(1);

    const verify = () => promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/admin.ts', 'audit:verify', '--org', org.slug], { cwd: ROOT, env: { ...process.env, AUDIT_SIGNING_KEY: KEY } })
      .then(({ stdout }) => ({ code: 0, stdout }), (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }));
    const intact = await verify();
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok +.*4 entries, chain intact, 1 anchor\(s\) verified, last #4/) });

    await rewriteAuditHistory(org.id, 1, { n: -1 });
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN +.*first broken entry #4 \(anchor #4 \(published .*\) signed head #3 .*no longer reaches it/);
  }, 180_000);
});
