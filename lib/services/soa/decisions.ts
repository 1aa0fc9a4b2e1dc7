import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FrameworkId } from '../../analysis/frameworks';
import { findFramework } from '../../analysis/frameworks';
import type { TenantTx } from '../../platform/db/tenant';
import { defaultDecision, decisionKey } from './statuses';
import { APPLICABILITIES, IMPLEMENTATION_STATUSES, type ImplementationStatus, type SoaDecision, type SoaPerson, type SoaVersionSummary } from './types';

const personLabel = (user: { name: string | null; email: string }) => user.name?.trim() || user.email;

/** The organization's current (draft) decisions for the framework, keyed by requirement (only those decided). */
export async function draftDecisions(tx: TenantTx, frameworkId: FrameworkId): Promise<Map<string, SoaDecision>> {
  const rows = await tx.soaEntry.findMany({ where: { frameworkId } });
  const ownerIds = [...new Set(rows.map((row) => row.ownerUserId).filter((id): id is string => id !== null))];
  const owners = ownerIds.length === 0 ? [] : await tx.membership.findMany({ where: { userId: { in: ownerIds } }, select: { userId: true, user: { select: { name: true, email: true } } } });
  const ownerLabel = new Map(owners.map((m) => [m.userId, personLabel(m.user)]));
  return new Map(rows.map((row) => [row.requirementId, {
    requirementId: row.requirementId,
    applicability: (APPLICABILITIES as readonly string[]).includes(row.applicability) ? row.applicability as SoaDecision['applicability'] : 'applicable',
    decided: true,
    justification: row.justification,
    implementationStatus: (IMPLEMENTATION_STATUSES as readonly string[]).includes(row.implementationStatus ?? '') ? row.implementationStatus as ImplementationStatus : null,
    owner: row.ownerUserId ? { userId: row.ownerUserId, label: ownerLabel.get(row.ownerUserId) ?? 'former member' } : null,
    decidedBy: { userId: row.decidedById, label: row.decidedByLabel },
    decidedAt: row.decidedAt.toISOString(),
  } satisfies SoaDecision]));
}

/** Every requirement of the framework, in framework order: its decision or the default. */
export function completeDecisions(frameworkId: FrameworkId, decided: ReadonlyMap<string, SoaDecision>): SoaDecision[] {
  return (findFramework(frameworkId)?.requirements ?? []).map((requirement) => decided.get(requirement.id) ?? defaultDecision(requirement.id));
}

/** sha256 of the RFC 8785 canonical JSON of a version's decisions. */
export function decisionsDigest(decisions: readonly SoaDecision[]): string {
  return createHash('sha256').update(canonicalize(decisions) ?? '').digest('hex');
}

/** Requirement ids whose decision differs between an approved version and the draft (all when nothing is approved). */
export function changedRequirements(approved: readonly SoaDecision[] | null, draft: readonly SoaDecision[]): string[] {
  if (!approved) return draft.filter((d) => d.decided).map((d) => d.requirementId);
  const before = new Map(approved.map((d) => [d.requirementId, decisionKey(d)]));
  return draft.filter((d) => before.get(d.requirementId) !== decisionKey(d) && (before.has(d.requirementId) || d.decided)).map((d) => d.requirementId);
}

type VersionRow = { id: string; version: number; approvedById: string | null; approvedByLabel: string; approvedAt: Date; note: string | null; digest: string };
export const VERSION_SELECT = { id: true, version: true, approvedById: true, approvedByLabel: true, approvedAt: true, note: true, digest: true } as const;

export function versionSummary(row: VersionRow): SoaVersionSummary {
  const approvedBy: SoaPerson = { userId: row.approvedById, label: row.approvedByLabel };
  return { id: row.id, version: row.version, approvedBy, approvedAt: row.approvedAt, note: row.note, digest: row.digest };
}

/** A stored version's decisions (JSON written by approveSoaVersion). */
export function storedDecisions(json: unknown): SoaDecision[] {
  return Array.isArray(json) ? (json as SoaDecision[]) : [];
}
