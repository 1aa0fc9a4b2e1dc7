import { systemDb } from '../../platform/db/tenant';
import { env } from '../../platform/env';
import { auditHash, GENESIS_HASH } from './write-audit';
import { ANCHOR_ACTION, AnchorRecordSchema, isAnchorSigned } from './anchor-audit';

export type ChainVerification = {
  organizationSlug: string; organizationId: string; entries: number; ok: boolean; firstBrokenSeq?: number; reason?: string;
  /** Anchors whose signature and head were checked, and the last of them (its seq and when it was published). */
  anchors: number; lastAnchor?: { seq: number; anchoredAt: string };
};

/**
 * Recomputes every entry's hash and its link to the previous entry. Names the first broken entry: a changed
 * field breaks that entry's own hash; a removed or reordered entry breaks the link or the sequence. Each anchor
 * (lib/services/audit/anchor-audit.ts) must carry a valid HMAC under AUDIT_SIGNING_KEY and name the head the chain still
 * has: a history rewritten with recomputed hashes passes the first checks but fails there, naming the anchor.
 */
export async function verifyAuditChains(orgSlug?: string, signingKey: string | undefined = env().AUDIT_SIGNING_KEY): Promise<ChainVerification[]> {
  const orgs = await systemDb().organization.findMany({ where: orgSlug ? { slug: orgSlug } : {}, select: { id: true, slug: true }, orderBy: { slug: 'asc' } });
  const results: ChainVerification[] = [];
  for (const org of orgs) results.push(await verifyChain(org.id, org.slug, signingKey));
  return results;
}

export async function verifyChain(organizationId: string, organizationSlug: string, signingKey: string | undefined = env().AUDIT_SIGNING_KEY): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let anchors = 0;
  let lastAnchor: { seq: number; anchoredAt: string } | undefined;
  const pageSize = 2_000;
  for (let cursor = 0; ; cursor += pageSize) {
    const rows = await systemDb().auditLog.findMany({ where: { organizationId, seq: { gt: cursor } }, orderBy: { seq: 'asc' }, take: pageSize });
    for (const row of rows) {
      entries += 1;
      const fail = (reason: string): ChainVerification => ({ organizationSlug, organizationId, entries, ok: false, firstBrokenSeq: row.seq, reason, anchors, lastAnchor });
      if (row.seq !== expectedSeq) return fail(`expected entry #${expectedSeq}, found #${row.seq}: an entry is missing`);
      if (row.prevHash !== previous) return fail('does not link to the previous entry');
      const recomputed = auditHash({
        organizationId: row.organizationId, seq: row.seq, actorType: row.actorType, actorId: row.actorId, actorLabel: row.actorLabel,
        action: row.action, targetType: row.targetType, targetId: row.targetId, before: row.before ?? null, after: row.after ?? null,
        ip: row.ip, userAgent: row.userAgent, createdAt: row.createdAt.toISOString(), prevHash: row.prevHash,
      });
      if (recomputed !== row.hash) return fail('its content was changed after it was written');
      if (row.action === ANCHOR_ACTION) {
        const anchor = AnchorRecordSchema.safeParse(row.after);
        if (!anchor.success) return fail(`anchor #${row.seq} is malformed`);
        const { seq, hash, anchoredAt } = anchor.data;
        if (!signingKey) return fail(`anchor #${row.seq} cannot be checked: AUDIT_SIGNING_KEY is not set`);
        if (!isAnchorSigned(signingKey, organizationId, anchor.data)) return fail(`anchor #${row.seq} (published ${anchoredAt}): its signature does not match AUDIT_SIGNING_KEY, so it was forged or altered`);
        if (seq !== row.seq - 1 || hash !== previous) {
          const since = lastAnchor ? `after anchor #${lastAnchor.seq}` : 'before it';
          return fail(`anchor #${row.seq} (published ${anchoredAt}) signed head #${seq} with hash ${hash.slice(0, 12)}…, but the chain no longer reaches it (it now has ${previous.slice(0, 12)}… there): an entry ${since} was rewritten and the hashes recomputed`);
        }
        anchors += 1;
        lastAnchor = { seq: row.seq, anchoredAt };
      }
      previous = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < pageSize) break;
  }
  return { organizationSlug, organizationId, entries, ok: true, anchors, lastAnchor };
}
