import pg from 'pg';
import { systemDb } from '../platform/db/tenant';
import { auditHash } from '../services/audit/write-audit';
import { ANCHOR_ACTION } from '../services/audit/anchor-audit';

/**
 * What an owner of the database can do: change an entry, then recompute every hash after it, so that each entry
 * is consistent and links to the previous one (the append-only trigger is no obstacle to a superuser).
 */
export async function rewriteAuditHistory(organizationId: string, seq: number, after: object, anchorPatch?: (after: Record<string, unknown>, newHeadHash: string) => object) {
  const rows = await systemDb().auditLog.findMany({ where: { organizationId }, orderBy: { seq: 'asc' } });
  const statements: { seq: number; after: unknown; prevHash: string; hash: string }[] = [];
  let previous = rows[0]?.prevHash ?? '';
  for (const row of rows) {
    let rowAfter: unknown = row.after ?? null;
    if (row.seq === seq) rowAfter = after;
    if (row.action === ANCHOR_ACTION && anchorPatch && row.seq > seq) rowAfter = anchorPatch(row.after as Record<string, unknown>, previous);
    const hash = auditHash({
      organizationId, seq: row.seq, actorType: row.actorType, actorId: row.actorId, actorLabel: row.actorLabel, action: row.action,
      targetType: row.targetType, targetId: row.targetId, before: row.before ?? null, after: rowAfter, ip: row.ip, userAgent: row.userAgent,
      createdAt: row.createdAt.toISOString(), prevHash: previous,
    });
    if (row.seq >= seq) statements.push({ seq: row.seq, after: rowAfter, prevHash: previous, hash });
    previous = hash;
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('BEGIN; ALTER TABLE "AuditLog" DISABLE TRIGGER "AuditLog_append_only"');
    for (const s of statements) {
      await client.query('UPDATE "AuditLog" SET "after" = $1::jsonb, "prevHash" = $2, "hash" = $3 WHERE "organizationId" = $4 AND seq = $5', [JSON.stringify(s.after), s.prevHash, s.hash, organizationId, s.seq]);
    }
    await client.query('ALTER TABLE "AuditLog" ENABLE TRIGGER "AuditLog_append_only"; COMMIT');
  } finally {
    await client.end();
  }
}
