import { createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';
import { systemContext } from '../../platform/auth/context';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { writeAudit } from './write-audit';

const log = logger.child({ component: 'audit-anchor' });

/**
 * The hash chain alone cannot stop whoever owns the database: they can rewrite an entry and recompute every hash
 * after it. An anchor is an audit entry that records the chain's head (seq and hash) with an HMAC under
 * AUDIT_SIGNING_KEY, a key kept outside the database, and the worker also logs it (its log leaves the database's
 * reach). A rewrite before an anchor then either breaks the anchor's link to its head or its signature, and
 * `audit:verify` names the anchor.
 */
export const ANCHOR_ACTION = 'audit.anchored';

export type AnchoredHead = { organizationId: string; seq: number; hash: string; anchoredAt: string };

export const AnchorRecordSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  anchoredAt: z.iso.datetime(),
  hmac: z.string().regex(/^[0-9a-f]{64}$/),
}).strict();
export type AnchorRecord = z.infer<typeof AnchorRecordSchema>;

/** HMAC-SHA256 under the signing key over the RFC 8785 canonical JSON of the anchored head. */
export function anchorHmac(key: string, head: AnchoredHead): string {
  return createHmac('sha256', key).update(canonicalize(head) ?? '').digest('hex');
}

/** Whether `record` is the signature of its head for this organization under `key` (constant-time compare). */
export function isAnchorSigned(key: string, organizationId: string, record: AnchorRecord): boolean {
  const expected = Buffer.from(anchorHmac(key, { organizationId, seq: record.seq, hash: record.hash, anchoredAt: record.anchoredAt }), 'hex');
  const actual = Buffer.from(record.hmac, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export type AnchorOutcome = { organizationId: string; anchored: AnchorRecord | null };

/**
 * Anchors every organization's chain head (the daily maintenance job). An organization with no entries, or whose
 * head is already an anchor (nothing happened since), gets none. Without AUDIT_SIGNING_KEY (development) nothing is
 * anchored; production refuses to start without it (lib/platform/env.ts).
 */
export async function anchorAuditChains(key: string | undefined = env().AUDIT_SIGNING_KEY, now: Date = new Date()): Promise<AnchorOutcome[]> {
  if (!key) {
    log.warn('AUDIT_SIGNING_KEY is not set: audit chains are not anchored');
    return [];
  }
  const orgs = await systemDb().organization.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
  const outcomes: AnchorOutcome[] = [];
  for (const org of orgs) outcomes.push({ organizationId: org.id, anchored: await anchorChain(key, org.id, now) });
  return outcomes;
}

async function anchorChain(key: string, organizationId: string, now: Date): Promise<AnchorRecord | null> {
  const ctx = systemContext(organizationId, 'anchor-audit-chain');
  const record = await dbFor(ctx).$transaction(async (tx) => {
    // The same lock writeAudit takes (re-entrant within the transaction): the head read here stays the head.
    await advisoryXactLock(tx, 'auditChain', organizationId);
    const head = await tx.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true, action: true } });
    if (!head || head.action === ANCHOR_ACTION) return null;
    const anchoredAt = now.toISOString();
    const signed: AnchorRecord = { seq: head.seq, hash: head.hash, anchoredAt, hmac: anchorHmac(key, { organizationId, seq: head.seq, hash: head.hash, anchoredAt }) };
    await writeAudit(tx, ctx, { action: ANCHOR_ACTION, targetType: 'AuditLog', targetId: String(head.seq), after: signed });
    return signed;
  });
  // The published copy: the worker's log is kept outside the database this anchor protects.
  if (record) log.info({ organizationId, seq: record.seq, hash: record.hash, anchoredAt: record.anchoredAt, hmac: record.hmac }, 'audit chain anchored');
  return record;
}
