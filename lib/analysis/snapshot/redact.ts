import { createHash } from 'node:crypto';
import { classifyNamedValue, detectInConfigFile, detectSecretPattern, isSensitiveName } from './detect';
import { RedactedValueSchema, type ConfigMapMeta, type RedactedValue, type RedactionReason, type SecretMeta } from './schema';

/**
 * Redaction is part of the snapshot contract: the agent applies it before anything leaves the cluster, and
 * parseSnapshot runs the same finder on the backend to refuse a snapshot that still carries a credential.
 */

/** kubectl keeps the whole previous manifest here, Secret `data` and env values included. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Strings (annotations, command-line arguments) can't hold a RedactedValue object, so they get this marker. */
export const REDACTED_MARKER_PREFIX = 'bulwark-redacted:';

export type PathSegment = string | number;
export type SensitiveValue = {
  /** Where, from the object's root: ['spec', 'containers', 0, 'env', 2, 'value']. */
  path: PathSegment[];
  where: 'env' | 'http-header' | 'argument' | 'annotation' | 'last-applied' | 'secret-data' | 'configmap-data' | 'policy-report-message' | 'policy-report-property';
  reason: RedactionReason;
  /** For `--flag=value` arguments: the part that stays readable. */
  keep?: string;
};

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function sha256Prefix(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 8);
}

/**
 * The stand-in for a credential. The 8-hex-digit hash prefix lets a reader spot the same value reused in
 * two places; it is too short to identify a strong secret, though it can confirm a guessed weak one.
 */
export function redactValue(value: string, reason: RedactionReason): RedactedValue {
  return { redacted: true, sha256Prefix: sha256Prefix(value), length: value.length, reason };
}

export function redactedMarker(value: string, reason: RedactionReason): string {
  return `${REDACTED_MARKER_PREFIX}${reason}:${sha256Prefix(value)}:${value.length}`;
}

const isMarker = (value: string): boolean => value.startsWith(REDACTED_MARKER_PREFIX);

const REASONS: ReadonlySet<string> = new Set(RedactedValueSchema.shape.reason.options);

/**
 * Reads a marker the agent left in a string (an annotation, `--db-password=<marker>` or a bare argument):
 * the reason and length, never anything of the value. Null when the string holds no well-formed marker.
 */
export function parseRedactedMarker(text: string): { reason: RedactionReason; length: number; prefix: string } | null {
  const at = text.indexOf(REDACTED_MARKER_PREFIX);
  if (at === -1) return null;
  const [reason = '', hash = '', length = ''] = text.slice(at + REDACTED_MARKER_PREFIX.length).split(':');
  if (!REASONS.has(reason) || !/^[0-9a-f]{8}$/.test(hash) || !/^[0-9]{1,9}$/.test(length)) return null;
  return { reason: reason as RedactionReason, length: Number(length), prefix: text.slice(0, at) };
}

/** Where pod specs sit in each kind that carries one (the engine's POD_BEARING_KINDS). */
export function podSpecPaths(kind: string): PathSegment[][] {
  switch (kind) {
    case 'Pod':
      return [['spec']];
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'ReplicationController':
      return [['spec', 'template', 'spec']];
    case 'CronJob':
      return [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
    default:
      return [];
  }
}

function getAt(root: unknown, path: PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number' ? !Array.isArray(current) : !isRecord(current)) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

function findInAnnotations(annotations: unknown, base: PathSegment[], out: SensitiveValue[]): void {
  if (!isRecord(annotations)) return;
  for (const [key, value] of Object.entries(annotations)) {
    if (key === LAST_APPLIED_ANNOTATION) {
      out.push({ path: [...base, key], where: 'last-applied', reason: 'secret-data' });
      continue;
    }
    // Content patterns only: annotation keys like vault.hashicorp.com/agent-inject-secret-db hold paths,
    // and checksum/config annotations are random-looking hashes by design.
    const reason = typeof value === 'string' && !isMarker(value) ? detectSecretPattern(value) : null;
    if (reason) out.push({ path: [...base, key], where: 'annotation', reason });
  }
}

/** The http-header values among `headers` (one httpHeaders list), by path below `base`. Exported for the engine. */
export function findInHeaders(headers: unknown, base: readonly PathSegment[], out: SensitiveValue[]): void {
  asArray(headers).forEach((header, index) => {
    if (!isRecord(header) || typeof header.value !== 'string') return;
    const reason = classifyNamedValue(typeof header.name === 'string' ? header.name : '', header.value);
    if (reason) out.push({ path: [...base, index, 'value'], where: 'http-header', reason });
  });
}

// --db-password=hunter2, or --db-password followed by hunter2, or a bare token among the arguments.
export function findInArguments(args: unknown, base: readonly PathSegment[], out: SensitiveValue[]): void {
  const list = asArray(args);
  list.forEach((arg, index) => {
    if (typeof arg !== 'string' || isMarker(arg)) return;
    const flag = /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(arg);
    if (flag) {
      const [, name = '', value = ''] = flag;
      const reason = isMarker(value) ? null : classifyNamedValue(name, value);
      if (reason) out.push({ path: [...base, index], where: 'argument', reason, keep: `${name}=` });
      return;
    }
    const previous = list[index - 1];
    const afterSensitiveFlag =
      typeof previous === 'string' && /^--?[A-Za-z]/.test(previous) && !previous.includes('=') && isSensitiveName(previous);
    const reason = afterSensitiveFlag && !arg.startsWith('-') ? classifyNamedValue(previous, arg) : detectSecretPattern(arg);
    if (reason) out.push({ path: [...base, index], where: 'argument', reason });
  });
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

function findInPodSpec(spec: unknown, base: PathSegment[], out: SensitiveValue[]): void {
  if (!isRecord(spec)) return;
  for (const list of CONTAINER_LISTS) {
    asArray(spec[list]).forEach((container, index) => {
      if (!isRecord(container)) return;
      const at = [...base, list, index];
      asArray(container.env).forEach((env, envIndex) => {
        if (!isRecord(env) || typeof env.value !== 'string') return;
        const reason = classifyNamedValue(typeof env.name === 'string' ? env.name : '', env.value);
        if (reason) out.push({ path: [...at, 'env', envIndex, 'value'], where: 'env', reason });
      });
      findInArguments(container.command, [...at, 'command'], out);
      findInArguments(container.args, [...at, 'args'], out);
      for (const probe of PROBES) {
        findInHeaders(getAt(container, [probe, 'httpGet', 'httpHeaders']), [...at, probe, 'httpGet', 'httpHeaders'], out);
      }
      for (const hook of ['postStart', 'preStop']) {
        const path = ['lifecycle', hook, 'httpGet', 'httpHeaders'];
        findInHeaders(getAt(container, path), [...at, ...path], out);
      }
    });
  }
}

/**
 * Every credential-like value in one Kubernetes object, by path: env values, probe headers, arguments,
 * annotations (pod templates' too), the last-applied annotation, and a Secret's `data`/`stringData`.
 */
export function findSensitiveValues(object: unknown): SensitiveValue[] {
  if (!isRecord(object)) return [];
  const out: SensitiveValue[] = [];
  const kind = typeof object.kind === 'string' ? object.kind : '';
  findInAnnotations(getAt(object, ['metadata', 'annotations']), ['metadata', 'annotations'], out);
  if (kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      if (object[field] !== undefined) out.push({ path: [field], where: 'secret-data', reason: 'secret-data' });
    }
  }
  if (kind === 'ConfigMap' && isRecord(object.data)) {
    for (const [key, value] of Object.entries(object.data)) {
      const reason = typeof value === 'string' ? classifyConfigMapValue(key, value) : null;
      if (reason) out.push({ path: ['data', key], where: 'configmap-data', reason });
    }
  }
  if (kind === 'PolicyReport' || kind === 'ClusterPolicyReport') {
    // A policy engine's message may quote what it judged, and properties are free-form: scanned as env values.
    asArray(object.results).forEach((result, index) => {
      if (!isRecord(result)) return;
      if (typeof result.message === 'string' && !isMarker(result.message)) {
        const reason = detectSecretPattern(result.message);
        if (reason) out.push({ path: ['results', index, 'message'], where: 'policy-report-message', reason });
      }
      if (isRecord(result.properties)) {
        for (const [key, value] of Object.entries(result.properties)) {
          const reason = typeof value === 'string' ? classifyNamedValue(key, value) : null;
          if (reason) out.push({ path: ['results', index, 'properties', key], where: 'policy-report-property', reason });
        }
      }
    });
  }
  for (const specPath of podSpecPaths(kind)) {
    const templatePath = specPath.slice(0, -1);
    if (templatePath.length > 0) {
      const annotationsPath = [...templatePath, 'metadata', 'annotations'];
      findInAnnotations(getAt(object, annotationsPath), annotationsPath, out);
    }
    findInPodSpec(getAt(object, specPath), specPath, out);
  }
  return out;
}

function replaceAt(root: Json, finding: SensitiveValue): void {
  const parentPath = finding.path.slice(0, -1);
  const key = finding.path[finding.path.length - 1];
  const parent = getAt(root, parentPath);
  if (key === undefined || !(isRecord(parent) || Array.isArray(parent))) return;
  const container = parent as Record<PathSegment, unknown>;
  const original = container[key];
  if (finding.where === 'last-applied' || finding.where === 'secret-data') {
    delete container[key];
    return;
  }
  if (typeof original !== 'string') return;
  if (finding.where === 'env' || finding.where === 'http-header' || finding.where === 'configmap-data' || finding.where === 'policy-report-property') {
    container[key] = redactValue(original, finding.reason);
  } else if (finding.keep !== undefined) {
    container[key] = finding.keep + redactedMarker(original.slice(finding.keep.length), finding.reason);
  } else {
    container[key] = redactedMarker(original, finding.reason);
  }
}

// `value: 8080` unquoted in YAML is a number. The API server would refuse it, but a manifest scan should
// still read the workload, and a numeric PIN named DB_PASSWORD must be redacted like any other value.
function stringifyScalarEnvValues(object: Json): void {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  for (const specPath of podSpecPaths(kind)) {
    const spec = getAt(object, specPath);
    if (!isRecord(spec)) continue;
    for (const list of CONTAINER_LISTS) {
      for (const container of asArray(spec[list])) {
        for (const env of isRecord(container) ? asArray(container.env) : []) {
          if (isRecord(env) && (typeof env.value === 'number' || typeof env.value === 'boolean')) env.value = String(env.value);
        }
      }
    }
  }
}

/** A copy of the object with every credential-like value replaced by its redaction (the input is not changed). */
export function redactObject<T extends Json>(object: T): T {
  const copy = structuredClone(object);
  stringifyScalarEnvValues(copy);
  for (const finding of findSensitiveValues(copy)) replaceAt(copy, finding);
  const annotations = getAt(copy, ['metadata', 'annotations']);
  if (isRecord(annotations) && Object.keys(annotations).length === 0 && isRecord(copy.metadata)) delete copy.metadata.annotations;
  return copy;
}

/** A Secret as the snapshot carries it: its metadata and key names, never a value. */
export function toSecretMeta(secret: Json): SecretMeta {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData', 'keys']) {
    const value = secret[field];
    if (isRecord(value)) Object.keys(value).forEach((key) => keys.add(key));
    else if (field === 'keys') asArray(value).forEach((key) => typeof key === 'string' && keys.add(key));
  }
  const { metadata } = redactObject({ kind: 'Secret', metadata: isRecord(secret.metadata) ? secret.metadata : {} });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata as SecretMeta['metadata'],
    ...(typeof secret.type === 'string' ? { type: secret.type } : {}),
    keys: [...keys].sort(),
  };
}

/** A ConfigMap value: named like an env var by its key, or a config file with a credential line in it. */
function classifyConfigMapValue(key: string, value: string): RedactionReason | null {
  return classifyNamedValue(key, value) ?? detectInConfigFile(value);
}

/**
 * A ConfigMap as the snapshot carries it: metadata, every key name, and for each value that looks like a
 * credential (the env detectors: its key's name or its content) a RedactedValue. Other values are dropped
 * here, in the cluster: no control reads them, and a config file is where credentials hide unannounced.
 */
export function toConfigMapMeta(configMap: Json): ConfigMapMeta {
  const keys = new Set<string>();
  const data: Record<string, RedactedValue> = {};
  if (isRecord(configMap.data)) {
    for (const [key, value] of Object.entries(configMap.data)) {
      keys.add(key);
      // A snapshot read back (a scan of an earlier snapshot) already holds redactions: keep them as they are.
      const already = RedactedValueSchema.safeParse(value);
      if (already.success) {
        data[key] = already.data;
        continue;
      }
      // YAML's `port: 8080` is a number; the API server would refuse it, a manifest scan should not.
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
      const reason = text === null ? null : classifyConfigMapValue(key, text);
      if (text !== null && reason) data[key] = redactValue(text, reason);
    }
  }
  if (isRecord(configMap.binaryData)) Object.keys(configMap.binaryData).forEach((key) => keys.add(key));
  asArray(configMap.keys).forEach((key) => typeof key === 'string' && keys.add(key));
  const { metadata } = redactObject({ kind: 'ConfigMap', metadata: isRecord(configMap.metadata) ? configMap.metadata : {} });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata as ConfigMapMeta['metadata'],
    keys: [...keys].sort(),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}
