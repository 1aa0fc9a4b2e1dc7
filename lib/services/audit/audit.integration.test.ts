import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { dbFor } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { createMember, createOrg } from '../../testing/factories';
import { writeAudit } from './write-audit';
import { verifyChain } from './verify-audit';

afterAll(() => disconnectDb());

async function raw(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try { return await client.query(sql, params); } finally { await client.end(); }
}

async function orgWithEntries(count: number) {
  const org = await createOrg();
  const { ctx } = await createMember(org, 'ADMIN');
  for (let i = 0; i < count; i++) {
    await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'test.action', targetType: 'Thing', targetId: String(i), before: { n: i }, after: { n: i + 1, at: new Date() } }));
  }
  return org;
}

describe('the audit log', () => {
  it('chains every entry to the previous one and verifies intact', async () => {
    const org = await orgWithEntries(5);
    const result = await verifyChain(org.id, org.slug);
    expect(result).toMatchObject({ ok: true, entries: 5 });
  });

  it('is refused UPDATE and DELETE by the database itself', async () => {
    const org = await orgWithEntries(1);
    await expect(raw('UPDATE "AuditLog" SET action = $1 WHERE "organizationId" = $2', ['forged', org.id])).rejects.toThrow(/append-only/);
    await expect(raw('DELETE FROM "AuditLog" WHERE "organizationId" = $1', [org.id])).rejects.toThrow(/append-only/);
  });

  it('names the first tampered entry when a row is changed behind the trigger\'s back', async () => {
    const org = await orgWithEntries(4);
    // A superuser can disable triggers; the hash chain still catches the edit.
    await raw(`BEGIN; ALTER TABLE "AuditLog" DISABLE TRIGGER "AuditLog_append_only";
      UPDATE "AuditLog" SET "after" = '{"n": 999}' WHERE "organizationId" = '${org.id}' AND seq = 3;
      ALTER TABLE "AuditLog" ENABLE TRIGGER "AuditLog_append_only"; COMMIT;`);
    const result = await verifyChain(org.id, org.slug);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(result.reason).toMatch(/changed/);
  });

  it('detects a removed entry', async () => {
    const org = await orgWithEntries(4);
    await raw(`BEGIN; ALTER TABLE "AuditLog" DISABLE TRIGGER "AuditLog_append_only";
      DELETE FROM "AuditLog" WHERE "organizationId" = '${org.id}' AND seq = 2;
      ALTER TABLE "AuditLog" ENABLE TRIGGER "AuditLog_append_only"; COMMIT;`);
    expect(await verifyChain(org.id, org.slug)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('keeps one linear chain when many writers append at once', async () => {
    const org = await createOrg();
    const { ctx } = await createMember(org, 'ADMIN');
    await Promise.all(Array.from({ length: 12 }, (_, i) => dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'parallel', targetId: String(i) }))));
    expect(await verifyChain(org.id, org.slug)).toMatchObject({ ok: true, entries: 12 });
  });
});
