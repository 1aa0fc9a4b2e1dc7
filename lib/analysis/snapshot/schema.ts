import { z } from 'zod';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';

/**
 * The agent <-> backend contract. The agent produces it, the ingest API accepts it, the engine reads it.
 * Bump SNAPSHOT_SCHEMA_VERSION on any change an older backend could misread.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

/**
 * Names and titles for the published JSON Schema (snapshot.schema.json). A registry of our own rather than
 * zod's global one, so loading this module twice (as test runners do) never collides on an id.
 */
export const snapshotSchemaRegistry = z.registry<{ id?: string; title?: string; description?: string }>();

/** What stands in place of a credential-like value. It keeps the fact (and a short hash to spot reuse), never the value. */
export const RedactedValueSchema = z
  .object({
    redacted: z.literal(true),
    sha256Prefix: z.string().regex(/^[0-9a-f]{8}$/, 'expected 8 lowercase hex characters'),
    length: z.number().int().nonnegative(),
    reason: z
      .enum(['sensitive-name', 'aws-access-key', 'jwt', 'private-key', 'high-entropy', 'known-token-format', 'credential-url', 'secret-data', 'too-long-to-scan'])
      .register(snapshotSchemaRegistry, {
        description:
          `Why the value was redacted: its name says it is a credential (sensitive-name), its content matches a credential format, or (too-long-to-scan) it is longer than ${MAX_SCANNED_VALUE_LENGTH.toLocaleString('en-US')} characters and was redacted without being searched.`,
      }),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'RedactedValue' });
export type RedactedValue = z.infer<typeof RedactedValueSchema>;
export type RedactionReason = RedactedValue['reason'];

const LabelMapSchema = z.record(z.string().max(317), z.string().max(63 * 1024));

export const OwnerReferenceSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    name: z.string(),
    uid: z.string().optional(),
    controller: z.boolean().optional(),
  })
  .loose();

export const ObjectMetaSchema = z
  .object({
    name: z.string().min(1).max(253),
    namespace: z.string().max(63).optional(),
    uid: z.string().max(128).optional(),
    labels: LabelMapSchema.optional(),
    annotations: LabelMapSchema.optional(),
    ownerReferences: z.array(OwnerReferenceSchema).optional(),
    creationTimestamp: z.string().optional(),
    resourceVersion: z.string().optional(),
  })
  .loose()
  .register(snapshotSchemaRegistry, { id: 'ObjectMeta' });
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/**
 * A Kubernetes object in its own shape. The spec is kept loose on purpose: the engine reads it defensively,
 * and a field Kubernetes adds next year must not make a whole snapshot invalid.
 */
export const KubeObjectSchema = z
  .object({
    apiVersion: z.string().min(1).max(253),
    kind: z.string().min(1).max(63),
    metadata: ObjectMetaSchema,
  })
  .loose()
  .register(snapshotSchemaRegistry, { id: 'KubeObject' });
export type KubeObject = z.infer<typeof KubeObjectSchema> & Record<string, unknown>;

/**
 * Container env, the one place inside a spec the contract pins down: a plain `value` is either an ordinary
 * string or, when it looked like a credential, a RedactedValue put there by the agent (see redact.ts).
 */
export const EnvVarSchema = z
  .object({
    name: z.string().min(1).max(1024),
    value: z.union([z.string(), RedactedValueSchema]).optional(),
    valueFrom: z.object({}).loose().optional(),
  })
  .loose()
  .register(snapshotSchemaRegistry, { id: 'EnvVar' });
export type EnvVar = z.infer<typeof EnvVarSchema>;

const ContainerSchema = z.object({ env: z.array(EnvVarSchema).optional() }).loose();

export const PodSpecSchema = z
  .object({
    containers: z.array(ContainerSchema).optional(),
    initContainers: z.array(ContainerSchema).optional(),
    ephemeralContainers: z.array(ContainerSchema).optional(),
  })
  .loose()
  .register(snapshotSchemaRegistry, { id: 'PodSpec' });

const PodTemplateSchema = z.object({ metadata: z.object({}).loose().optional(), spec: PodSpecSchema.optional() }).loose();

// Typed as KubeObject on purpose: code that builds or reads snapshots keeps one object type, while the
// runtime check (and the published JSON Schema) still reaches the env of every pod template.
const PodObjectSchema: z.ZodType<KubeObject> = KubeObjectSchema.extend({ spec: PodSpecSchema.optional() }).register(
  snapshotSchemaRegistry,
  { id: 'PodObject' },
);
const WorkloadObjectSchema: z.ZodType<KubeObject> = KubeObjectSchema.extend({
  spec: z.object({ template: PodTemplateSchema.optional() }).loose().optional(),
}).register(snapshotSchemaRegistry, { id: 'WorkloadObject' });
const CronJobObjectSchema: z.ZodType<KubeObject> = KubeObjectSchema.extend({
  spec: z
    .object({ jobTemplate: z.object({ spec: z.object({ template: PodTemplateSchema.optional() }).loose().optional() }).loose().optional() })
    .loose()
    .optional(),
}).register(snapshotSchemaRegistry, { id: 'CronJobObject' });

/** Secrets travel as metadata only: the key names, never `data` or `stringData`. */
export const SecretMetaSchema = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('Secret'),
    metadata: ObjectMetaSchema,
    type: z.string().max(253).optional(),
    keys: z.array(z.string().max(253)).max(10_000),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'SecretMeta' });
export type SecretMeta = z.infer<typeof SecretMetaSchema>;

/**
 * ConfigMaps travel as metadata and key names (`data` and `binaryData` alike). A value that looks like a
 * credential travels as its RedactedValue under `data` (the fact and the detector's reason, never the value);
 * every other value stays in the cluster: no control needs it.
 */
export const ConfigMapMetaSchema = z
  .object({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: ObjectMetaSchema,
    keys: z.array(z.string().max(253)).max(10_000),
    data: z.record(z.string().max(253), RedactedValueSchema).optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'ConfigMapMeta' });
export type ConfigMapMeta = z.infer<typeof ConfigMapMetaSchema>;

/** Every list of cluster objects the snapshot can carry, by the plural the Kubernetes API uses (policies: POLICY_LIST_KINDS). */
export const RESOURCE_KINDS = {
  namespaces: 'Namespace',
  nodes: 'Node',
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  replicationcontrollers: 'ReplicationController',
  serviceaccounts: 'ServiceAccount',
  roles: 'Role',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding',
  networkpolicies: 'NetworkPolicy',
  services: 'Service',
  ingresses: 'Ingress',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
} as const;
export type ResourceName = keyof typeof RESOURCE_KINDS;
export const RESOURCE_NAMES = Object.keys(RESOURCE_KINDS) as ResourceName[];

/**
 * Whether the agent could read a resource. `forbidden` and `disabled` make requirements that depend on
 * the resource "not applicable" rather than a silent pass.
 */
export const CollectionStatusSchema = z
  .object({
    status: z.enum(['collected', 'forbidden', 'disabled', 'error']),
    count: z.number().int().nonnegative(),
    message: z.string().max(2000).optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'CollectionStatus' });
export type CollectionStatus = z.infer<typeof CollectionStatusSchema>;

/**
 * The cluster's own policies (issue 23), in lists beside the resources above, each of KubeObject-like objects.
 * All optional: an agent that does not send a list has not collected it (never "no policies"). Their kinds vary
 * (Kyverno's ClusterPolicy and Policy, one kind per Gatekeeper constraint template), so they are not in
 * RESOURCE_KINDS, and custom controls and admission policies never judge them as cluster objects.
 */
export const POLICY_LIST_KINDS = {
  /** admissionregistration.k8s.io/v1, the full object. */
  validatingadmissionpolicies: ['ValidatingAdmissionPolicy'],
  validatingadmissionpolicybindings: ['ValidatingAdmissionPolicyBinding'],
  /** kyverno.io ClusterPolicy and Policy: metadata, the failure action, background, rule names. No rule bodies. */
  kyvernopolicies: ['ClusterPolicy', 'Policy'],
  /** constraints.gatekeeper.sh/*: metadata, enforcementAction, match, status.totalViolations. Any kind (one per template). */
  gatekeeperconstraints: [],
  /** wgpolicyk8s.io PolicyReport and ClusterPolicyReport: results capped, credential-like values redacted. */
  policyreports: ['PolicyReport', 'ClusterPolicyReport'],
} as const satisfies Record<string, readonly string[]>;
export type PolicyListName = keyof typeof POLICY_LIST_KINDS;
export const POLICY_LIST_NAMES = Object.keys(POLICY_LIST_KINDS) as PolicyListName[];
/** Every list a snapshot's `collection` may report on. */
export type CollectedListName = ResourceName | PolicyListName;
export const COLLECTED_LIST_NAMES: CollectedListName[] = [...RESOURCE_NAMES, ...POLICY_LIST_NAMES];

/** Caps on what one PolicyReport carries (the agent truncates and counts what it left out in `resultsOmitted`). */
export const POLICY_REPORT_LIMITS = { results: 5000, message: 4096, resources: 100, properties: 50, propertyValue: 4096 } as const;

const ValidatingAdmissionPolicySchema: z.ZodType<KubeObject> = KubeObjectSchema.extend({
  apiVersion: z.string().regex(/^admissionregistration\.k8s\.io\/[a-z0-9]+$/, 'expected admissionregistration.k8s.io/<version>'),
  kind: z.literal('ValidatingAdmissionPolicy'),
  spec: z.object({}).loose(),
}).register(snapshotSchemaRegistry, { id: 'ValidatingAdmissionPolicy' });

const ValidatingAdmissionPolicyBindingSchema: z.ZodType<KubeObject> = KubeObjectSchema.extend({
  apiVersion: z.string().regex(/^admissionregistration\.k8s\.io\/[a-z0-9]+$/, 'expected admissionregistration.k8s.io/<version>'),
  kind: z.literal('ValidatingAdmissionPolicyBinding'),
  spec: z.object({ policyName: z.string().min(1).max(253) }).loose(),
}).register(snapshotSchemaRegistry, { id: 'ValidatingAdmissionPolicyBinding' });

export const KyvernoPolicyMetaSchema = z
  .object({
    apiVersion: z.string().regex(/^kyverno\.io\/[a-z0-9]+$/, 'expected kyverno.io/<version>'),
    kind: z.enum(['ClusterPolicy', 'Policy']),
    metadata: ObjectMetaSchema,
    spec: z
      .object({
        validationFailureAction: z.string().max(63).optional(),
        background: z.boolean().optional(),
        rules: z
          .array(
            z
              .object({
                name: z.string().max(253),
                type: z.enum(['validate', 'mutate', 'generate', 'verifyImages', 'other']).optional(),
                failureAction: z.string().max(63).optional(),
              })
              .strict(),
          )
          .max(1000),
      })
      .strict(),
    status: z.object({ ready: z.boolean().optional() }).strict().optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'KyvernoPolicyMeta' });
export type KyvernoPolicyMeta = z.infer<typeof KyvernoPolicyMetaSchema>;

export const GatekeeperConstraintMetaSchema = z
  .object({
    apiVersion: z.string().regex(/^constraints\.gatekeeper\.sh\/[a-z0-9]+$/, 'expected constraints.gatekeeper.sh/<version>'),
    kind: z.string().min(1).max(63),
    metadata: ObjectMetaSchema,
    spec: z.object({ enforcementAction: z.string().max(63).optional(), match: z.object({}).loose().optional() }).strict(),
    status: z.object({ totalViolations: z.number().int().nonnegative().optional(), auditTimestamp: z.string().max(64).optional() }).strict().optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'GatekeeperConstraintMeta' });
export type GatekeeperConstraintMeta = z.infer<typeof GatekeeperConstraintMetaSchema>;

const PolicyReportResourceSchema = z
  .object({
    apiVersion: z.string().max(253).optional(),
    kind: z.string().max(63).optional(),
    name: z.string().max(253).optional(),
    namespace: z.string().max(63).optional(),
    uid: z.string().max(128).optional(),
  })
  .strict();

export const PolicyReportResultSchema = z
  .object({
    policy: z.string().min(1).max(253),
    rule: z.string().max(253).optional(),
    result: z.enum(['pass', 'fail', 'warn', 'error', 'skip']),
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).optional(),
    category: z.string().max(253).optional(),
    source: z.string().max(253).optional(),
    /** Credential-like content in it is replaced by a `bulwark-redacted:` marker (see redact.ts). */
    message: z.string().max(POLICY_REPORT_LIMITS.message).optional(),
    resources: z.array(PolicyReportResourceSchema).max(POLICY_REPORT_LIMITS.resources).optional(),
    scored: z.boolean().optional(),
    properties: z
      .record(z.string().max(253), z.union([z.string().max(POLICY_REPORT_LIMITS.propertyValue), RedactedValueSchema]))
      .refine((properties) => Object.keys(properties).length <= POLICY_REPORT_LIMITS.properties, `at most ${POLICY_REPORT_LIMITS.properties} properties`)
      .optional(),
    timestamp: z.object({ seconds: z.number().int(), nanos: z.number().int().optional() }).strict().optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'PolicyReportResult' });
export type PolicyReportResult = z.infer<typeof PolicyReportResultSchema>;

export const PolicyReportSchema = z
  .object({
    apiVersion: z.string().regex(/^wgpolicyk8s\.io\/[a-z0-9]+$/, 'expected wgpolicyk8s.io/<version>'),
    kind: z.enum(['PolicyReport', 'ClusterPolicyReport']),
    metadata: ObjectMetaSchema,
    scope: PolicyReportResourceSchema.optional(),
    summary: z
      .object({ pass: z.number().int().nonnegative().optional(), fail: z.number().int().nonnegative().optional(), warn: z.number().int().nonnegative().optional(), error: z.number().int().nonnegative().optional(), skip: z.number().int().nonnegative().optional() })
      .strict()
      .optional(),
    results: z.array(PolicyReportResultSchema).max(POLICY_REPORT_LIMITS.results),
    /** How many results the agent left out to stay within POLICY_REPORT_LIMITS.results. */
    resultsOmitted: z.number().int().nonnegative().optional(),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'PolicyReport' });
export type PolicyReport = z.infer<typeof PolicyReportSchema>;

const MAX_OBJECTS_PER_LIST = 500_000;
const MAX_POLICIES_PER_LIST = 50_000;
const objectList = z.array(KubeObjectSchema).max(MAX_OBJECTS_PER_LIST);
const podList = z.array(PodObjectSchema).max(MAX_OBJECTS_PER_LIST);
const workloadList = z.array(WorkloadObjectSchema).max(MAX_OBJECTS_PER_LIST);

export const SnapshotObjectsSchema = z
  .object({
    namespaces: objectList,
    nodes: objectList,
    pods: podList,
    deployments: workloadList,
    replicasets: workloadList,
    statefulsets: workloadList,
    daemonsets: workloadList,
    jobs: workloadList,
    cronjobs: z.array(CronJobObjectSchema).max(MAX_OBJECTS_PER_LIST),
    replicationcontrollers: workloadList,
    serviceaccounts: objectList,
    roles: objectList,
    clusterroles: objectList,
    rolebindings: objectList,
    clusterrolebindings: objectList,
    networkpolicies: objectList,
    services: objectList,
    ingresses: objectList,
    secrets: z.array(SecretMetaSchema).max(MAX_OBJECTS_PER_LIST),
    // Added after schema version 1 shipped, so optional: an older agent's snapshot (and a stored one) has no
    // list, which the engine reads as "not collected" (its controls not applicable), never as "no ConfigMaps".
    configmaps: z.array(ConfigMapMetaSchema).max(MAX_OBJECTS_PER_LIST).optional(),
    // The cluster's own policies (issue 23), optional for the same reason: absent = not collected.
    validatingadmissionpolicies: z.array(ValidatingAdmissionPolicySchema).max(MAX_POLICIES_PER_LIST).optional(),
    validatingadmissionpolicybindings: z.array(ValidatingAdmissionPolicyBindingSchema).max(MAX_POLICIES_PER_LIST).optional(),
    kyvernopolicies: z.array(KyvernoPolicyMetaSchema).max(MAX_POLICIES_PER_LIST).optional(),
    gatekeeperconstraints: z.array(GatekeeperConstraintMetaSchema).max(MAX_POLICIES_PER_LIST).optional(),
    policyreports: z.array(PolicyReportSchema).max(MAX_OBJECTS_PER_LIST).optional(),
  })
  .strict();
export type SnapshotObjects = z.infer<typeof SnapshotObjectsSchema>;

export const ClusterIdentitySchema = z
  .object({
    /** The kube-system namespace UID: stable for the life of a cluster, unlike its name. */
    uid: z.string().min(1).max(128),
    name: z.string().min(1).max(253),
    serverVersion: z.string().max(64).optional(),
    provider: z.enum(['eks', 'gke', 'aks', 'openshift', 'k3s', 'kind', 'minikube', 'rke', 'unknown', 'offline']),
  })
  .strict()
  .register(snapshotSchemaRegistry, { id: 'ClusterIdentity' });
export type ClusterIdentity = z.infer<typeof ClusterIdentitySchema>;

export const SnapshotSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    cluster: ClusterIdentitySchema,
    collectedAt: z.iso.datetime({ offset: true }),
    agent: z.object({ version: z.string().min(1).max(64), mode: z.enum(['in-cluster', 'kubeconfig', 'offline']) }).strict(),
    collection: z.partialRecord(z.enum(COLLECTED_LIST_NAMES as [CollectedListName, ...CollectedListName[]]), CollectionStatusSchema),
    objects: SnapshotObjectsSchema,
  })
  .strict()
  .register(snapshotSchemaRegistry, {
    title: 'Bulwark cluster snapshot',
    description: 'What the Bulwark agent sends: Kubernetes objects of one cluster, stripped and with credential-like values redacted.',
  });
export type Snapshot = z.infer<typeof SnapshotSchema>;
