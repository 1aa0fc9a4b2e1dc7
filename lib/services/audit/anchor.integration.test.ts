import { afterAll, describe, expect, it } from 'vitest';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { createMember, createOrg } from '../../testing/factories';
import { writeAudit } from './write-audit';
import { rewriteAuditHistory } from '../../testing/rewrite-audit-history';
import { verifyChain } from './verify-audit';
import { ANCHOR_ACTION, anchorAuditChains } from './anchor-audit';

afterAll(() => disconnectDb());

const KEY = 'test-audit-signing-key-0123456789abcdef';

async function append(org: { id: string }, ctx: Awaited<ReturnType<typeof createMember>>['ctx'], count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'finding.false_positive', targetType: 'Finding', targetId: String(i), after: { n: i } }));
  }
}

async function orgWithAnchoredChain() {
  const org = await createOrg();
  const { ctx } = await createMember(org, 'ADMIN');
  await append(org, ctx, 4);
  await anchorAuditChains(KEY, new Date('2026-12-01T00:00:00Z'));
  await append(org, ctx, 2, 4);
  return { org, ctx };
}

describe('audit chain anchors', () => {
  it('signs the head once per change and verifies an untouched chain with its anchors', async () => {
    const { org, ctx } = await orgWithAnchoredChain();
    const anchor = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id, action: ANCHOR_ACTION } });
    expect(anchor).toMatchObject({ seq: 5, targetType: 'AuditLog', targetId: '4', actorType: 'system' });
    expect(anchor.after).toMatchObject({ seq: 4, anchoredAt: '2026-12-01T00:00:00.000Z', hmac: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await anchorAuditChains(KEY, new Date('2026-12-02T00:00:00Z'));
    // Nothing happened since: no second anchor on top of the first.
    await anchorAuditChains(KEY, new Date('2026-12-03T00:00:00Z'));
    await append(org, ctx, 1, 10);
    expect(await verifyChain(org.id, org.slug, KEY)).toMatchObject({ ok: true, entries: 9, anchors: 2, lastAnchor: { seq: 8, anchoredAt: '2026-12-02T00:00:00.000Z' } });
  });

  it('detects a past entry rewritten with every hash recomputed, naming the anchor', async () => {
    const { org } = await orgWithAnchoredChain();
    await rewriteAuditHistory(org.id, 2, { n: 999, note: 'never happened' });
    const result = await verifyChain(org.id, org.slug, KEY);
    expect(result).toMatchObject({ ok: false, firstBrokenSeq: 5, anchors: 0 });
    expect(result.reason).toMatch(/^anchor #5 \(published 2026-12-01T00:00:00.000Z\) signed head #4 .* the chain no longer reaches it/);
    // The hash chain alone would not have noticed: every entry is consistent with the one before it.
    expect(result.reason).toContain('hashes recomputed');
  });

  it('detects an anchor rewritten to the new head, because its signature no longer matches', async () => {
    const { org } = await orgWithAnchoredChain();
    await rewriteAuditHistory(org.id, 3, { n: 999 }, (after, newHeadHash) => ({ ...after, hash: newHeadHash }));
    expect(await verifyChain(org.id, org.slug, KEY)).toMatchObject({ ok: false, firstBrokenSeq: 5, reason: expect.stringMatching(/^anchor #5 .*signature does not match AUDIT_SIGNING_KEY/) });
  });

  it('refuses anchors it cannot check: another key, or none', async () => {
    const { org } = await orgWithAnchoredChain();
    expect(await verifyChain(org.id, org.slug, 'another-key-of-the-same-length-01234567')).toMatchObject({ ok: false, reason: expect.stringContaining('signature does not match') });
    expect(await verifyChain(org.id, org.slug, undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('AUDIT_SIGNING_KEY is not set') });
  });
});
