/**
 * What the snapshot leaves out of each object. Fields that change without the object changing
 * (managedFields, resourceVersion, heartbeat times) would also make two snapshots of the same cluster
 * state differ, which breaks the content hash the agent uses as its idempotency key.
 */

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'selfLink'] as const;

function pick(source: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

// Only the status fields controls read. Node addresses and images map the network and what runs where,
// and say nothing about compliance; Pod IPs and container states change by the second.
function stripStatus(kind: string, status: unknown): Json | undefined {
  if (!isRecord(status)) return undefined;
  switch (kind) {
    case 'Node': {
      const conditions = Array.isArray(status.conditions)
        ? status.conditions.filter(isRecord).map((condition) => pick(condition, ['type', 'status', 'reason']))
        : undefined;
      const kept = pick({ ...status, conditions }, ['nodeInfo', 'conditions']);
      return Object.keys(kept).length > 0 ? kept : undefined;
    }
    case 'Pod':
      return status.phase === undefined ? undefined : pick(status, ['phase']);
    case 'Namespace':
      return status.phase === undefined ? undefined : pick(status, ['phase']);
    default:
      return undefined;
  }
}

/** A copy of a raw Kubernetes object without managedFields, volatile metadata and (most of) its status. */
export function stripObject(object: Json): Json {
  const copy: Json = { ...object };
  if (isRecord(object.metadata)) {
    const metadata: Json = { ...object.metadata };
    for (const key of VOLATILE_METADATA) delete metadata[key];
    copy.metadata = metadata;
  }
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const status = stripStatus(kind, object.status);
  if (status === undefined) delete copy.status;
  else copy.status = status;
  return copy;
}
