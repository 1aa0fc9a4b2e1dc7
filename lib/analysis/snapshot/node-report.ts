import { z } from 'zod';
import { REDACTED_MARKER_PREFIX } from './redact';

/**
 * The node report: what the node collector (`npm run agent -- node`, agent/src/node-collect.ts) reads on one
 * node, the way kube-bench does, for the CIS benchmark's sections 1-4. It is its own document beside the
 * snapshot (its own endpoint, POST /api/v1/node-reports), versioned by `apiVersion`: a change an older
 * backend could misread gets a new version.
 *
 * Credentials never travel: a flag value or a config string that looks like one (the snapshot's detectors,
 * detect.ts) is replaced by the redaction marker (`bulwark-redacted:<reason>:<sha8>:<length>`, redact.ts);
 * key files are never read (only their mode and owner); an EncryptionConfiguration's keys are always markers.
 */
export const NODE_REPORT_API_VERSION = 'bulwark.dev/node-report/v1' as const;

/** Size limits of one node report upload (a real one is a few KiB; a control-plane node's about 20 KiB). */
export const MAX_NODE_REPORT_COMPRESSED_BYTES = 1024 * 1024;
export const MAX_NODE_REPORT_DECOMPRESSED_BYTES = 8 * 1024 * 1024;
/** Bounds that keep one report's work small whatever a node holds. */
export const NODE_REPORT_LIMITS = {
  maxFlagsPerComponent: 512,
  maxValuesPerFlag: 64,
  maxFlagValueLength: 16 * 1024,
  maxFiles: 4096,
  maxPathLength: 4096,
  maxLabels: 512,
  maxAuditRules: 2048,
  maxEncryptionResources: 256,
} as const;

/** Names and titles for the published JSON Schema (node-report.schema.json); our own registry, as the snapshot's. */
export const nodeReportSchemaRegistry = z.registry<{ id?: string; title?: string; description?: string }>();

const pathString = z.string().min(1).max(NODE_REPORT_LIMITS.maxPathLength);
const MARKER_PATTERN = new RegExp(`^${REDACTED_MARKER_PREFIX}[a-z-]+:[0-9a-f]{8}:[0-9]+$`);

/** A redaction marker where key material was: the fact, a short hash and the length, never the value. */
export const RedactionMarkerSchema = z
  .string()
  .regex(MARKER_PATTERN, `expected a redaction marker (${REDACTED_MARKER_PREFIX}<reason>:<sha8>:<length>)`)
  .register(nodeReportSchemaRegistry, { id: 'RedactionMarker' });

/**
 * One component's settings. `flags`: flag name without its leading dashes -> every value given, in order (a
 * flag given twice keeps both; the last one wins for the component). A bare `--flag` is `['true']`, pflag's
 * meaning for a boolean flag. Values of credential-like flags are redaction markers; file paths stay readable.
 */
export const NodeComponentSchema = z
  .object({
    /** static-pod: from a manifest's container command; process: from /proc/<pid>/cmdline; config-only: no process seen, only its config file. */
    source: z.enum(['static-pod', 'process', 'config-only']),
    /** The manifest file (static-pod), the executable (process), or absent. */
    path: pathString.optional(),
    flags: z.record(
      z.string().min(1).max(256),
      z.array(z.string().max(NODE_REPORT_LIMITS.maxFlagValueLength)).max(NODE_REPORT_LIMITS.maxValuesPerFlag),
    ),
    /** The component's config file (kubelet's KubeletConfiguration, kube-proxy's), parsed, credential-like strings as markers. */
    config: z.object({ path: pathString, content: z.unknown() }).strict().optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'NodeComponent' });
export type NodeComponent = z.infer<typeof NodeComponentSchema>;

export const NODE_COMPONENT_NAMES = ['apiserver', 'controllerManager', 'scheduler', 'etcd', 'kubelet', 'proxy'] as const;
export type NodeComponentName = (typeof NODE_COMPONENT_NAMES)[number];

/**
 * What a file is for, so a control finds "the kubelet's kubeconfig" wherever a flag put it. Open-ended on
 * purpose (a newer collector may add roles); these are the ones v1 sends.
 */
export const NODE_FILE_ROLES = [
  'apiserver-manifest', 'controller-manager-manifest', 'scheduler-manifest', 'etcd-manifest',
  'cni-config', 'etcd-data-dir', 'admin-kubeconfig', 'super-admin-kubeconfig', 'scheduler-kubeconfig',
  'controller-manager-kubeconfig', 'pki-dir', 'pki-cert', 'pki-key', 'kubelet-service', 'kubelet-kubeconfig',
  'kubelet-config', 'client-ca', 'proxy-kubeconfig', 'audit-policy', 'encryption-config',
] as const;
export type NodeFileRole = (typeof NODE_FILE_ROLES)[number];

/**
 * A file the benchmark names: whether it exists, its permission bits (e.g. 0o600 = 384) and owner. Never its content.
 * A file with two roles (the kubelet's client CA is also a PKI certificate) is listed once per role.
 */
export const NodeFileSchema = z
  .object({
    path: pathString,
    role: z.string().max(64).optional(),
    exists: z.boolean(),
    kind: z.enum(['file', 'directory', 'other']).optional(),
    /** Permission bits only (mode & 0o7777). */
    mode: z.number().int().min(0).max(0o7777).optional(),
    uid: z.number().int().nonnegative().optional(),
    gid: z.number().int().nonnegative().optional(),
    /** Names from the host's /etc/passwd and /etc/group, when they list the ids. */
    user: z.string().max(256).optional(),
    group: z.string().max(256).optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'NodeFile' });
export type NodeFile = z.infer<typeof NodeFileSchema>;

const stringList = z.array(z.string().max(1024)).max(1024);

/** One audit policy rule's structure: its level and what it selects (no request content exists in a policy). */
export const AuditRuleSchema = z
  .object({
    level: z.string().max(64),
    resources: z.array(z.object({ group: z.string().max(253).optional(), resources: stringList.optional() }).strict()).max(256).optional(),
    verbs: stringList.optional(),
    users: stringList.optional(),
    userGroups: stringList.optional(),
    namespaces: stringList.optional(),
    nonResourceURLs: stringList.optional(),
    omitStages: stringList.optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'AuditRule' });

export const AuditPolicySchema = z
  .object({
    path: pathString,
    /** false when the file is missing or not a readable audit Policy; `rules` is then empty. */
    readable: z.boolean(),
    omitStages: stringList.optional(),
    rules: z.array(AuditRuleSchema).max(NODE_REPORT_LIMITS.maxAuditRules),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'AuditPolicy' });
export type AuditPolicy = z.infer<typeof AuditPolicySchema>;

/** A provider of an EncryptionConfiguration, in the order the API server tries them. Keys are markers, always. */
export const EncryptionProviderSchema = z
  .object({
    /** aescbc, aesgcm, secretbox, kms, identity (or a future one). */
    name: z.string().min(1).max(64),
    keys: z.array(z.object({ name: z.string().max(253), secret: RedactionMarkerSchema }).strict()).max(64).optional(),
    /** kms only: the plugin's name, API version and endpoint (no key material there). */
    kms: z.object({ name: z.string().max(253).optional(), apiVersion: z.string().max(16).optional(), endpoint: z.string().max(1024).optional() }).strict().optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'EncryptionProvider' });

export const EncryptionConfigSchema = z
  .object({
    path: pathString,
    readable: z.boolean(),
    resources: z
      .array(z.object({ resources: stringList, providers: z.array(EncryptionProviderSchema).max(32) }).strict())
      .max(NODE_REPORT_LIMITS.maxEncryptionResources),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'EncryptionConfig' });
export type EncryptionConfig = z.infer<typeof EncryptionConfigSchema>;

export const NodeIdentitySchema = z
  .object({
    name: z.string().min(1).max(253),
    providerID: z.string().max(1024).optional(),
    labels: z.record(z.string().max(317), z.string().max(63)).refine((labels) => Object.keys(labels).length <= NODE_REPORT_LIMITS.maxLabels, {
      message: `at most ${NODE_REPORT_LIMITS.maxLabels} labels`,
    }),
    kubeletVersion: z.string().max(64).optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, { id: 'NodeIdentity' });

export const nodeReportSchema = z
  .object({
    apiVersion: z.literal(NODE_REPORT_API_VERSION),
    collectedAt: z.iso.datetime({ offset: true }),
    collector: z.object({ version: z.string().min(1).max(64) }).strict(),
    node: NodeIdentitySchema,
    components: z
      .object({
        apiserver: NodeComponentSchema.optional(),
        controllerManager: NodeComponentSchema.optional(),
        scheduler: NodeComponentSchema.optional(),
        etcd: NodeComponentSchema.optional(),
        kubelet: NodeComponentSchema.optional(),
        proxy: NodeComponentSchema.optional(),
      })
      .strict(),
    files: z.array(NodeFileSchema).max(NODE_REPORT_LIMITS.maxFiles),
    auditPolicy: AuditPolicySchema.optional(),
    encryptionConfig: EncryptionConfigSchema.optional(),
  })
  .strict()
  .register(nodeReportSchemaRegistry, {
    title: 'Bulwark node report',
    description:
      'What the Bulwark node collector sends for one node: control-plane and kubelet flags and configs, file modes and owners, audit and encryption configuration structure; credential-like values redacted, key material never read.',
  });
export type NodeReport = z.infer<typeof nodeReportSchema>;
