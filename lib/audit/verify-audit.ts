import { systemDb } from '../db/tenant';
import { auditHash, GENESIS_HASH } from './write-audit';

export type ChainVerification = { organizationSlug: string; organizationId: string; entries: number; ok: boolean; firstBrokenSeq?: number; reason?: string };

/**
 * Recomputes every entry's hash and its link to the previous entry. Names the first broken entry: a changed
 * field breaks that entry's own hash; a removed or reordered entry breaks the link or the sequence.
 */
export async function verifyAuditChains(orgSlug?: string): Promise<ChainVerification[]> {
  const orgs = await systemDb().organization.findMany({ where: orgSlug ? { slug: orgSlug } : {}, select: { id: true, slug: true }, orderBy: { slug: 'asc' } });
  const results: ChainVerification[] = [];
  for (const org of orgs) results.push(await verifyChain(org.id, org.slug));
  return results;
}

export async function verifyChain(organizationId: string, organizationSlug: string): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  const pageSize = 2_000;
  for (let cursor = 0; ; cursor += pageSize) {
    const rows = await systemDb().auditLog.findMany({ where: { organizationId, seq: { gt: cursor } }, orderBy: { seq: 'asc' }, take: pageSize });
    for (const row of rows) {
      entries += 1;
      const fail = (reason: string): ChainVerification => ({ organizationSlug, organizationId, entries, ok: false, firstBrokenSeq: row.seq, reason });
      if (row.seq !== expectedSeq) return fail(`expected entry #${expectedSeq}, found #${row.seq}: an entry is missing`);
      if (row.prevHash !== previous) return fail('does not link to the previous entry');
      const recomputed = auditHash({
        organizationId: row.organizationId, seq: row.seq, actorType: row.actorType, actorId: row.actorId, actorLabel: row.actorLabel,
        action: row.action, targetType: row.targetType, targetId: row.targetId, before: row.before ?? null, after: row.after ?? null,
        ip: row.ip, userAgent: row.userAgent, createdAt: row.createdAt.toISOString(), prevHash: row.prevHash,
      });
      if (recomputed !== row.hash) return fail('its content was changed after it was written');
      previous = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < pageSize) break;
  }
  return { organizationSlug, organizationId, entries, ok: true };
}
