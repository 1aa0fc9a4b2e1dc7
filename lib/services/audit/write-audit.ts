import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { actorLabel, type OrgContext } from '../../platform/auth/context';
import type { TenantTx } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = {
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
};

export type AuditHashFields = {
  organizationId: string;
  seq: number;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  prevHash: string;
};

/** sha256 over the RFC 8785 canonical JSON of the entry: key order and jsonb round-trips don't change it. */
export function auditHash(fields: AuditHashFields): string {
  return createHash('sha256').update(canonicalize(fields) ?? '').digest('hex');
}

/** What jsonb will give back when the entry is read for verification (Dates become strings, undefined goes). */
function toJsonValue(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

function actorId(ctx: OrgContext): string | null {
  switch (ctx.actor.kind) {
    case 'user': return ctx.actor.userId;
    case 'apiToken': return ctx.actor.tokenId;
    case 'agent': return ctx.actor.tokenId;
    case 'system': return null;
  }
}

/**
 * Appends one entry to the organization's audit chain, inside the caller's transaction, so the entry exists
 * exactly when the change it records does. The per-organization advisory lock keeps the chain linear.
 */
export async function writeAudit(tx: TenantTx, ctx: OrgContext, input: AuditInput): Promise<void> {
  await advisoryXactLock(tx, 'auditChain', ctx.organizationId);
  const last = await tx.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  const fields: AuditHashFields = {
    organizationId: ctx.organizationId,
    seq: (last?.seq ?? 0) + 1,
    actorType: ctx.actor.kind,
    actorId: actorId(ctx),
    actorLabel: actorLabel(ctx.actor),
    action: input.action,
    targetType: input.targetType ?? null,
    targetId: input.targetId ?? null,
    before: toJsonValue(input.before),
    after: toJsonValue(input.after),
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
    createdAt: new Date().toISOString(),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditLog.create({
    data: {
      ...fields,
      organizationId: ctx.organizationId,
      before: fields.before === null ? undefined : (fields.before as object),
      after: fields.after === null ? undefined : (fields.after as object),
      createdAt: new Date(fields.createdAt),
      hash: auditHash(fields),
    },
  });
}
