import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { formatIssuePath } from './issue-path';
import { toGatekeeperConstraintMeta, toKyvernoPolicyMeta, toPolicyReport } from './policies';
import { redactObject, toConfigMapMeta, toSecretMeta } from './redact';
import {
  POLICY_LIST_NAMES,
  type PolicyListName,
  RESOURCE_KINDS,
  RESOURCE_NAMES,
  SNAPSHOT_SCHEMA_VERSION,
  SnapshotObjectsSchema,
  SnapshotSchema,
  type ClusterIdentity,
  type ResourceName,
  type Snapshot,
  type SnapshotObjects,
} from './schema';
import { stripObject } from './strip';

export type BuildSnapshotInput = {
  /** Raw Kubernetes objects of any kind, as the API or a manifest has them; `*List` objects are flattened. */
  objects: unknown[];
  cluster: ClusterIdentity;
  collectedAt: string | Date;
  agentVersion: string;
  mode: Snapshot['agent']['mode'];
  /**
   * What the collector could read. A resource it doesn't mention counts as collected (a manifest set is the
   * whole world); a `collected` count is recomputed from the objects actually kept.
   */
  collection?: Snapshot['collection'];
};
export type SkippedObject = { kind: string; name: string; reason: string };
export type BuildSnapshotResult = { snapshot: Snapshot; skipped: SkippedObject[] };

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// The API groups each resource lives in (any version). A Knative `serving.knative.dev/v1` Service is not a
// core Service, and must not be checked as one.
const RESOURCE_GROUPS: Record<ResourceName, readonly string[]> = {
  namespaces: [''],
  nodes: [''],
  pods: [''],
  deployments: ['apps', 'extensions'],
  replicasets: ['apps', 'extensions'],
  statefulsets: ['apps'],
  daemonsets: ['apps', 'extensions'],
  jobs: ['batch'],
  cronjobs: ['batch'],
  replicationcontrollers: [''],
  serviceaccounts: [''],
  roles: ['rbac.authorization.k8s.io'],
  clusterroles: ['rbac.authorization.k8s.io'],
  rolebindings: ['rbac.authorization.k8s.io'],
  clusterrolebindings: ['rbac.authorization.k8s.io'],
  networkpolicies: ['networking.k8s.io', 'extensions'],
  services: [''],
  ingresses: ['networking.k8s.io', 'extensions'],
  secrets: [''],
  configmaps: [''],
};

const RESOURCE_BY_KIND = new Map<string, ResourceName>(RESOURCE_NAMES.map((name) => [RESOURCE_KINDS[name], name]));

/** The snapshot list a raw object belongs in, or null when the snapshot doesn't carry its kind. */
export function resourceNameFor(apiVersion: string, kind: string): ResourceName | null {
  const resource = RESOURCE_BY_KIND.get(kind);
  if (!resource) return null;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return RESOURCE_GROUPS[resource].includes(group) ? resource : null;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** The policy list (issue 23) a raw object belongs in, or null. */
export function policyListFor(apiVersion: string, kind: string): PolicyListName | null {
  const group = groupOf(apiVersion);
  if (group === 'admissionregistration.k8s.io' && kind === 'ValidatingAdmissionPolicy') return 'validatingadmissionpolicies';
  if (group === 'admissionregistration.k8s.io' && kind === 'ValidatingAdmissionPolicyBinding') return 'validatingadmissionpolicybindings';
  if (group === 'kyverno.io' && (kind === 'ClusterPolicy' || kind === 'Policy')) return 'kyvernopolicies';
  if (group === 'constraints.gatekeeper.sh') return 'gatekeeperconstraints';
  if (group === 'wgpolicyk8s.io' && (kind === 'PolicyReport' || kind === 'ClusterPolicyReport')) return 'policyreports';
  return null;
}

/**
 * What the snapshot keeps of a raw policy object: admission policies whole (stripped, redacted), the others shaped.
 * stripObject drops every status, so Kyverno's readiness and Gatekeeper's totalViolations are read from the raw one.
 */
export function preparePolicyObject(list: PolicyListName, raw: Json): Json {
  const stripped = list === 'kyvernopolicies' || list === 'gatekeeperconstraints' ? { ...stripObject(raw), status: raw.status } : stripObject(raw);
  switch (list) {
    case 'kyvernopolicies':
      return toKyvernoPolicyMeta(stripped);
    case 'gatekeeperconstraints':
      return toGatekeeperConstraintMeta(stripped);
    case 'policyreports':
      return toPolicyReport(stripped);
    default:
      return redactObject(stripped);
  }
}

const describe = (object: unknown) => {
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  const kind = isRecord(object) && typeof object.kind === 'string' ? object.kind : '(no kind)';
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  return { kind, name: typeof metadata.namespace === 'string' ? `${metadata.namespace}/${name}` : name };
};

/** `kubectl get -o json` gives a `List` (or a typed `PodList`, whose items carry no kind): one object each. */
function* flatten(objects: unknown[]): Generator<unknown> {
  for (const object of objects) {
    if (isRecord(object) && typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) {
      const itemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
      yield* flatten(
        object.items.map((item) =>
          isRecord(item) && item.kind === undefined && itemKind ? { apiVersion: object.apiVersion, kind: itemKind, ...item } : item,
        ),
      );
    } else {
      yield object;
    }
  }
}

const byNamespaceAndName = (a: { metadata: { namespace?: string; name: string } }, b: typeof a): number => {
  const left = `${a.metadata.namespace ?? ''}\u0000${a.metadata.name}`;
  const right = `${b.metadata.namespace ?? ''}\u0000${b.metadata.name}`;
  return left < right ? -1 : left > right ? 1 : 0;
};

function emptyObjects(): SnapshotObjects {
  return Object.fromEntries(RESOURCE_NAMES.map((name) => [name, []])) as unknown as SnapshotObjects;
}

/**
 * Sorts raw objects into the snapshot's lists, strips and redacts them, turns Secrets into metadata and
 * validates the result. An object the snapshot can't carry is skipped and reported, never fatal.
 * Throws only when the snapshot itself (cluster identity, agent, time) is invalid: a caller's bug.
 */
export function buildSnapshot(input: BuildSnapshotInput): BuildSnapshotResult {
  const objects = emptyObjects();
  const skipped: SkippedObject[] = [];
  const seen = new Set<string>();

  for (const raw of flatten(input.objects)) {
    const { kind, name } = describe(raw);
    if (!isRecord(raw) || typeof raw.apiVersion !== 'string' || typeof raw.kind !== 'string') {
      skipped.push({ kind, name, reason: 'not a Kubernetes object (apiVersion and kind are required)' });
      continue;
    }
    const policyList = policyListFor(raw.apiVersion, raw.kind);
    if (policyList) {
      const prepared = preparePolicyObject(policyList, raw);
      const parsed = SnapshotObjectsSchema.shape[policyList].unwrap().element.safeParse(prepared);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
        skipped.push({ kind, name, reason: `invalid ${raw.kind}: ${where}${issue?.message ?? 'does not match the schema'}` });
        continue;
      }
      const key = `${policyList}/${raw.kind}/${name}`;
      if (seen.has(key)) {
        skipped.push({ kind, name, reason: 'duplicate: the same object appeared earlier in the input' });
        continue;
      }
      seen.add(key);
      ((objects[policyList] ??= []) as unknown[]).push(parsed.data);
      continue;
    }
    const resource = resourceNameFor(raw.apiVersion, raw.kind);
    if (!resource) {
      skipped.push({ kind, name, reason: `unsupported kind ${raw.apiVersion} ${raw.kind}` });
      continue;
    }
    const stripped = stripObject(raw);
    const prepared = resource === 'secrets' ? toSecretMeta(stripped) : resource === 'configmaps' ? toConfigMapMeta(stripped) : redactObject(stripped);
    const listSchema = SnapshotObjectsSchema.shape[resource];
    const elementSchema: z.ZodType = (listSchema instanceof z.ZodOptional ? listSchema.unwrap() : listSchema).element;
    const parsed = elementSchema.safeParse(prepared);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
      skipped.push({ kind, name, reason: `invalid ${raw.kind}: ${where}${issue?.message ?? 'does not match the schema'}` });
      continue;
    }
    const key = `${resource}/${name}`;
    if (seen.has(key)) {
      skipped.push({ kind, name, reason: 'duplicate: the same object appeared earlier in the input' });
      continue;
    }
    seen.add(key);
    (objects[resource] as unknown[]).push(parsed.data);
  }

  for (const resource of RESOURCE_NAMES) (objects[resource] as Array<Parameters<typeof byNamespaceAndName>[0]> | undefined)?.sort(byNamespaceAndName);

  const collection: Snapshot['collection'] = {};
  for (const resource of RESOURCE_NAMES) {
    const count = objects[resource]?.length ?? 0;
    const given = input.collection?.[resource];
    collection[resource] = !given || given.status === 'collected' ? { ...given, status: 'collected', count } : given;
  }

  // A policy list is carried when it was collected or objects of it came: otherwise it stays absent, "not collected"
  // (a manifest set without admission policies says nothing about the cluster's).
  for (const list of POLICY_LIST_NAMES) {
    const given = input.collection?.[list];
    const items = objects[list] as Array<Parameters<typeof byNamespaceAndName>[0]> | undefined;
    if (items) items.sort(byNamespaceAndName);
    if (given && given.status !== 'collected') {
      collection[list] = given;
      delete objects[list];
    } else if (given || items) {
      (objects as Record<string, unknown>)[list] = items ?? [];
      collection[list] = { ...given, status: 'collected', count: items?.length ?? 0 };
    }
  }

  const collectedAt = typeof input.collectedAt === 'string' ? input.collectedAt : input.collectedAt.toISOString();
  const result = SnapshotSchema.safeParse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    cluster: input.cluster,
    collectedAt,
    agent: { version: input.agentVersion, mode: input.mode },
    collection,
    objects,
  });
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
    throw new Error(`cannot build a valid snapshot: ${issues.join('; ')}`);
  }
  return { snapshot: result.data, skipped };
}

/**
 * sha256 (hex) of the snapshot's canonical JSON without `collectedAt`: the same cluster state collected twice
 * gives the same hash (to tell "nothing changed").
 */
export function snapshotContentHash(snapshot: Snapshot): string {
  const { collectedAt: _collectedAt, ...content } = snapshot;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/**
 * sha256 (hex) of a snapshot's JSON as sent, without the top-level `collectedAt`: what the agent and the backend
 * compare to tell that a cluster did not change since a snapshot the backend already holds, so that the agent
 * can send a small "unchanged" notice instead of the whole snapshot. Unlike snapshotContentHash it keeps the key
 * order of the value it is given (the agent's object, or the backend's JSON.parse of the agent's bytes, which is
 * the same order), because sorting every key of an 18 MB snapshot costs 0.6 s and JSON.stringify 0.1 s. A
 * different key order only means a different digest, and a full push.
 */
export function snapshotBodyDigest(snapshot: unknown): string {
  const content = typeof snapshot === 'object' && snapshot !== null && !Array.isArray(snapshot) ? { ...snapshot, collectedAt: undefined } : snapshot;
  return createHash('sha256').update(JSON.stringify(content) ?? 'null', 'utf8').digest('hex');
}

/**
 * The idempotency key the agent sends with a push: one collection, however often it is retried or replayed
 * from the spool. It includes `collectedAt` on purpose: a later collection of an unchanged cluster, or one
 * that went back to an earlier state, is a new snapshot the backend must evaluate (it moves lastSeenAt,
 * resolves and reopens findings, and keeps the cluster from looking stale).
 */
export function snapshotIdempotencyKey(snapshot: Snapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot), 'utf8').digest('hex');
}
