import { v7 as uuidv7 } from 'uuid';
import type { TenantTx } from './tenant';

/**
 * Ids for rows inserted in bulk: UUIDv7 (time-ordered, RFC 9562) rather than the column default's random v4, so a
 * 30,000-row insert appends to the right edge of the id indexes (primary key, (organizationId, id), ...) instead
 * of touching a random leaf page per row: about 30 % less time for the evaluation's INSERT (bench). They are as
 * unguessable as v4 where it matters (74 random bits); the timestamp they carry is the row's creation time, which
 * the row shows anyway.
 */
function timeOrderedIds(count: number): string[] {
  return Array.from({ length: count }, () => uuidv7());
}

/**
 * Raw SQL for the evaluation's bulk writes: one statement whatever the number of findings, with the array
 * passed as a single parameter (an IN list of 50,000 ids would exceed Postgres' parameter limit).
 * Every function takes the organization first and filters on it, and has a cross-tenant test.
 */
export async function touchFindings(tx: TenantTx, organizationId: string, clusterId: string, fingerprints: string[], seenAt: Date, snapshotId: string): Promise<number> {
  if (fingerprints.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Finding" SET "lastSeenAt" = ${seenAt}, "lastSnapshotId" = ${snapshotId}::uuid
    WHERE "organizationId" = ${organizationId}::uuid AND "clusterId" = ${clusterId}::uuid
      AND "status" <> 'RESOLVED' AND "fingerprint" = ANY(${fingerprints}::text[])`;
}

/**
 * Resolves findings that are gone (or now covered by an exception). lastSeenAt becomes the last evaluation that
 * saw them (open rows are not rewritten on every evaluation), never earlier than what is stored.
 */
export async function resolveFindings(tx: TenantTx, organizationId: string, ids: string[], reason: 'FIXED' | 'EXCEPTION', resolvedAt: Date, lastSeenAt: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Finding" SET "status" = 'RESOLVED', "resolvedAt" = ${resolvedAt}, "resolutionReason" = ${reason}::"ResolutionReason",
      "lastSeenAt" = GREATEST("lastSeenAt", ${lastSeenAt}), "updatedAt" = now()
    WHERE "organizationId" = ${organizationId}::uuid AND "id" = ANY(${ids}::uuid[])`;
}

export type FindingChange = { id: string; message: string; severity: string; evidence: string };

/** Findings whose message, severity or evidence changed while they stayed open (rare; one statement anyway). */
export async function updateFindingDetails(tx: TenantTx, organizationId: string, changes: FindingChange[]): Promise<number> {
  if (changes.length === 0) return 0;
  return tx.$executeRaw`
    UPDATE "Finding" AS f SET "message" = c.message, "severity" = c.severity::"Severity", "evidence" = c.evidence::jsonb, "updatedAt" = now()
    FROM unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.message)}::text[], ${changes.map((c) => c.severity)}::text[], ${changes.map((c) => c.evidence)}::text[])
      AS c(id, message, severity, evidence)
    WHERE f."organizationId" = ${organizationId}::uuid AND f.id = c.id`;
}

export type NewFindingRow = {
  controlId: string; fingerprint: string; severity: string; apiVersion: string; kind: string; namespace: string | null;
  name: string; uid: string | null; message: string; evidence: string; isPlatform: boolean; dueDays: number;
};

const INSERT_CHUNK = 5_000;

/**
 * New findings in one INSERT ... SELECT FROM unnest per 5,000 rows (one array parameter per column), returning
 * their ids. Building the same insert through the ORM costs several times more CPU than the database's work.
 */
export async function insertFindings(tx: TenantTx, organizationId: string, clusterId: string, snapshotId: string, seenAt: Date, rows: NewFindingRow[]) {
  const created: { id: string; fingerprint: string; severity: string; controlId: string }[] = [];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const column = <K extends keyof NewFindingRow>(key: K) => chunk.map((row) => row[key]);
    created.push(...await tx.$queryRaw<{ id: string; fingerprint: string; severity: string; controlId: string }[]>`
      INSERT INTO "Finding" ("id", "organizationId", "clusterId", "controlId", "fingerprint", "severity", "resourceApiVersion", "resourceKind",
        "resourceNamespace", "resourceName", "resourceUid", "message", "evidence", "isPlatform", "firstSeenAt", "lastSeenAt", "lastSnapshotId", "dueAt", "updatedAt")
      SELECT c.id, ${organizationId}::uuid, ${clusterId}::uuid, c.control, c.fp, c.sev::"Severity", c.api, c.kind, c.ns, c.name, c.uid, c.msg, c.ev::jsonb, c.plat,
        ${seenAt}, ${seenAt}, ${snapshotId}::uuid, ${seenAt}::timestamp + make_interval(days => c.due), now()
      FROM unnest(${timeOrderedIds(chunk.length)}::uuid[], ${column('controlId')}::text[], ${column('fingerprint')}::text[], ${column('severity')}::text[], ${column('apiVersion')}::text[],
        ${column('kind')}::text[], ${column('namespace')}::text[], ${column('name')}::text[], ${column('uid')}::text[], ${column('message')}::text[],
        ${column('evidence')}::text[], ${column('isPlatform')}::boolean[], ${column('dueDays')}::int[])
        AS c(id, control, fp, sev, api, kind, ns, name, uid, msg, ev, plat, due)
      RETURNING id::text AS id, fingerprint, severity::text AS severity, "controlId"`);
  }
  return created;
}

/** Timeline events for many findings at once (same shape as insertFindings: one array parameter per column). */
export async function insertFindingEvents(tx: TenantTx, organizationId: string, snapshotId: string, at: Date, events: { findingId: string; type: string; data: string }[]): Promise<void> {
  for (let start = 0; start < events.length; start += INSERT_CHUNK) {
    const chunk = events.slice(start, start + INSERT_CHUNK);
    await tx.$executeRaw`
      INSERT INTO "FindingEvent" ("id", "organizationId", "findingId", "type", "snapshotId", "data", "createdAt")
      SELECT e.id, ${organizationId}::uuid, e.finding, e.type, ${snapshotId}::uuid, e.data::jsonb, ${at}
      FROM unnest(${timeOrderedIds(chunk.length)}::uuid[], ${chunk.map((e) => e.findingId)}::uuid[], ${chunk.map((e) => e.type)}::text[], ${chunk.map((e) => e.data)}::text[])
        AS e(id, finding, type, data)`;
  }
}
