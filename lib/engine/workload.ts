import type { KubeObject, RedactedValue } from '@/lib/snapshot/schema';
import {
  isRecord,
  ParseIssue,
  readArray,
  readBoolean,
  readNumber,
  readRecord,
  readString,
  readStringList,
  readStringMap,
} from './json';
import type { PodBearingKind } from './kube';

export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer';

export type Capabilities = { add: string[]; drop: string[] };
export type SeccompProfile = { type: string | undefined; localhostProfile: string | undefined };

/** The securityContext fields shared by pods and containers that the controls read. */
export type SecurityContext = {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: SeccompProfile;
  windowsHostProcess?: boolean;
};

export type ContainerSecurityContext = SecurityContext & {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  procMount?: string;
  capabilities?: Capabilities;
};

export type EnvValue = string | RedactedValue;
export type EnvVar = {
  index: number;
  name: string;
  value: EnvValue | undefined;
  secretKeyRef: { name: string | undefined; key: string | undefined } | undefined;
};
export type EnvFromSource = { index: number; secretRef: string | undefined; configMapRef: string | undefined };
export type ContainerPort = { index: number; containerPort: number | undefined; hostPort: number | undefined };

export type Container = {
  kind: ContainerKind;
  name: string;
  index: number;
  image: string | undefined;
  securityContext: ContainerSecurityContext | undefined;
  limits: Record<string, string>;
  requests: Record<string, string>;
  env: EnvVar[];
  envFrom: EnvFromSource[];
  ports: ContainerPort[];
  /** Set when the container lives on a Pod below the workload (ephemeral containers added by `kubectl debug`). */
  pod: string | undefined;
  /** JSON path of a field of this container, relative to the object the container was read from. */
  path: (field?: string) => string;
};

export type Volume = { index: number; name: string; hostPath: string | undefined };

export type PodSpec = {
  hostPID: boolean;
  hostIPC: boolean;
  hostNetwork: boolean;
  serviceAccountName: string | undefined;
  automountServiceAccountToken: boolean | undefined;
  securityContext: SecurityContext | undefined;
  volumes: Volume[];
  containers: Container[];
  /** Pod-level annotations of the template (legacy seccomp annotations live there). */
  annotations: Record<string, string>;
  labels: Record<string, string>;
};

const CONTAINER_LISTS: readonly [string, ContainerKind][] = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

/** Where the pod spec sits in each pod-bearing kind, and where its metadata (labels, annotations) sits. */
const POD_SPEC_PATHS: Record<PodBearingKind, { spec: string[]; metadata: string[] }> = {
  Pod: { spec: ['spec'], metadata: ['metadata'] },
  Deployment: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  ReplicaSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  StatefulSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  DaemonSet: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  Job: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  ReplicationController: { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] },
  CronJob: {
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  },
};

function dig(object: unknown, keys: string[]): unknown {
  let current: unknown = object;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function podSpecPathOf(kind: PodBearingKind): string {
  return POD_SPEC_PATHS[kind].spec.join('.');
}

/**
 * The pod spec of any pod-bearing object, read into typed fields. Throws ParseIssue when a field has the wrong
 * type (evaluate() reports it); a missing spec reads as an empty one. Paths are built only for errors and for the
 * containers' path(), since this runs for every workload of every snapshot.
 */
export function podSpecOf(object: KubeObject, kind: PodBearingKind): PodSpec {
  const paths = POD_SPEC_PATHS[kind];
  const base = PATH_STRINGS[kind].spec;
  const metaPath = PATH_STRINGS[kind].metadata;
  const spec = readRecord(dig(object, paths.spec), base) ?? {};
  const meta = readRecord(dig(object, paths.metadata), metaPath) ?? {};
  const containers: Container[] = [];
  for (const [field, containerKind] of CONTAINER_LISTS) {
    const list = readArray(spec[field], base, field);
    for (let index = 0; index < list.length; index++) {
      containers.push(readContainer(list[index], containerKind, `${base}.${field}[${index}]`, index, undefined));
    }
  }
  const volumes = readArray(spec.volumes, base, 'volumes');
  return {
    hostPID: readBoolean(spec.hostPID, base, 'hostPID') ?? false,
    hostIPC: readBoolean(spec.hostIPC, base, 'hostIPC') ?? false,
    hostNetwork: readBoolean(spec.hostNetwork, base, 'hostNetwork') ?? false,
    serviceAccountName: readString(spec.serviceAccountName, base, 'serviceAccountName') || readString(spec.serviceAccount, base, 'serviceAccount') || undefined,
    automountServiceAccountToken: readBoolean(spec.automountServiceAccountToken, base, 'automountServiceAccountToken'),
    securityContext: readSecurityContext(spec.securityContext, base, 'securityContext'),
    volumes: volumes.length === 0 ? [] : volumes.map((raw, index) => readVolume(raw, `${base}.volumes[${index}]`, index)),
    containers,
    annotations: readStringMap(meta.annotations, metaPath, 'annotations'),
    labels: readStringMap(meta.labels, metaPath, 'labels'),
  };
}

const PATH_STRINGS = Object.fromEntries(
  Object.entries(POD_SPEC_PATHS).map(([kind, paths]) => [kind, { spec: paths.spec.join('.'), metadata: paths.metadata.join('.') }]),
) as Record<PodBearingKind, { spec: string; metadata: string }>;

/** Ephemeral containers of a live Pod, read so they can be attributed to the Pod's top-level owner. */
export function ephemeralContainersOf(pod: KubeObject): Container[] {
  const spec = readRecord(pod.spec, 'spec') ?? {};
  return readArray(spec.ephemeralContainers, 'spec', 'ephemeralContainers').map((raw, index) =>
    readContainer(raw, 'ephemeralContainer', `spec.ephemeralContainers[${index}]`, index, pod.metadata.name),
  );
}

function readVolume(raw: unknown, path: string, index: number): Volume {
  const volume = readRecord(raw, path) ?? {};
  const hostPath = readRecord(volume.hostPath, path, 'hostPath');
  return {
    index,
    name: readString(volume.name, path, 'name') ?? '',
    hostPath: hostPath ? (readString(hostPath.path, path, 'hostPath.path') ?? '') : undefined,
  };
}

const NO_ENV: EnvVar[] = [];
const NO_ENV_FROM: EnvFromSource[] = [];
const NO_PORTS: ContainerPort[] = [];

function readContainer(raw: unknown, kind: ContainerKind, path: string, index: number, pod: string | undefined): Container {
  const container = readRecord(raw, path);
  if (!container) throw new ParseIssue(path, 'a container');
  // The API server requires a name; a hand-written manifest may lack one, and its problems still count.
  const name = readString(container.name, path, 'name') || path.slice(path.lastIndexOf('.') + 1);
  const resources = readRecord(container.resources, path, 'resources') ?? {};
  const env = readArray(container.env, path, 'env');
  const envFrom = readArray(container.envFrom, path, 'envFrom');
  const ports = readArray(container.ports, path, 'ports');
  return {
    kind,
    name,
    index,
    image: readString(container.image, path, 'image'),
    securityContext: readContainerSecurityContext(container.securityContext, path, 'securityContext'),
    limits: readStringMap(resources.limits, path, 'resources.limits'),
    requests: readStringMap(resources.requests, path, 'resources.requests'),
    env: env.length === 0 ? NO_ENV : env.map((item, i) => readEnvVar(item, path, i)),
    envFrom: envFrom.length === 0 ? NO_ENV_FROM : envFrom.map((item, i) => readEnvFrom(item, path, i)),
    ports: ports.length === 0 ? NO_PORTS : ports.map((item, i) => readPort(item, path, i)),
    pod,
    path: (field) => (field ? `${path}.${field}` : path),
  };
}

function readPort(raw: unknown, path: string, index: number): ContainerPort {
  const at = `${path}.ports[${index}]`;
  const port = readRecord(raw, at) ?? {};
  return { index, containerPort: readNumber(port.containerPort, at, 'containerPort'), hostPort: readNumber(port.hostPort, at, 'hostPort') };
}

function readEnvVar(raw: unknown, path: string, index: number): EnvVar {
  const at = `${path}.env[${index}]`;
  const env = readRecord(raw, at) ?? {};
  const valueFrom = readRecord(env.valueFrom, at, 'valueFrom');
  const secretKeyRef = valueFrom ? readRecord(valueFrom.secretKeyRef, at, 'valueFrom.secretKeyRef') : undefined;
  return {
    index,
    name: readString(env.name, at, 'name') ?? '',
    value: readEnvValue(env.value, at, 'value'),
    secretKeyRef: secretKeyRef
      ? { name: readString(secretKeyRef.name, at, 'valueFrom.secretKeyRef.name'), key: readString(secretKeyRef.key, at, 'valueFrom.secretKeyRef.key') }
      : undefined,
  };
}

/** An env value is a string, or the agent's marker for a credential-like value it refused to send. */
function readEnvValue(value: unknown, path: string, field: string): EnvValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isRecord(value) && value.redacted === true) {
    const reason = typeof value.reason === 'string' ? value.reason : 'sensitive-name';
    return {
      redacted: true,
      sha256Prefix: typeof value.sha256Prefix === 'string' ? value.sha256Prefix : '',
      length: typeof value.length === 'number' ? value.length : 0,
      reason: reason as RedactedValue['reason'],
    };
  }
  throw new ParseIssue(path, 'a string or a redaction marker', field);
}

function readEnvFrom(raw: unknown, path: string, index: number): EnvFromSource {
  const at = `${path}.envFrom[${index}]`;
  const source = readRecord(raw, at) ?? {};
  const secretRef = readRecord(source.secretRef, at, 'secretRef');
  const configMapRef = readRecord(source.configMapRef, at, 'configMapRef');
  return {
    index,
    secretRef: secretRef ? (readString(secretRef.name, at, 'secretRef.name') ?? '') : undefined,
    configMapRef: configMapRef ? (readString(configMapRef.name, at, 'configMapRef.name') ?? '') : undefined,
  };
}

/** `at` is the securityContext's own path; built only when the object has one. */
function readSecurityContextFields(context: Record<string, unknown>, at: string): SecurityContext {
  const seccomp = readRecord(context.seccompProfile, at, 'seccompProfile');
  const windows = readRecord(context.windowsOptions, at, 'windowsOptions');
  return {
    runAsNonRoot: readBoolean(context.runAsNonRoot, at, 'runAsNonRoot'),
    runAsUser: readNumber(context.runAsUser, at, 'runAsUser'),
    seccompProfile: seccomp
      ? { type: readString(seccomp.type, at, 'seccompProfile.type'), localhostProfile: readString(seccomp.localhostProfile, at, 'seccompProfile.localhostProfile') }
      : undefined,
    windowsHostProcess: windows ? readBoolean(windows.hostProcess, at, 'windowsOptions.hostProcess') : undefined,
  };
}

function readSecurityContext(raw: unknown, path: string, field: string): SecurityContext | undefined {
  const context = readRecord(raw, path, field);
  return context ? readSecurityContextFields(context, `${path}.${field}`) : undefined;
}

function readContainerSecurityContext(raw: unknown, path: string, field: string): ContainerSecurityContext | undefined {
  const context = readRecord(raw, path, field);
  if (!context) return undefined;
  const at = `${path}.${field}`;
  const common = readSecurityContextFields(context, at);
  const capabilities = readRecord(context.capabilities, at, 'capabilities');
  return {
    runAsNonRoot: common.runAsNonRoot,
    runAsUser: common.runAsUser,
    seccompProfile: common.seccompProfile,
    windowsHostProcess: common.windowsHostProcess,
    privileged: readBoolean(context.privileged, at, 'privileged'),
    allowPrivilegeEscalation: readBoolean(context.allowPrivilegeEscalation, at, 'allowPrivilegeEscalation'),
    readOnlyRootFilesystem: readBoolean(context.readOnlyRootFilesystem, at, 'readOnlyRootFilesystem'),
    procMount: readString(context.procMount, at, 'procMount'),
    capabilities: capabilities
      ? { add: readStringList(capabilities.add, at, 'capabilities.add'), drop: readStringList(capabilities.drop, at, 'capabilities.drop') }
      : undefined,
  };
}

/** Capability names compare without the CAP_ prefix and case-insensitively, as container runtimes do. */
export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** What containerd and CRI-O grant a container when it asks for nothing. */
export const DEFAULT_CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE',
  'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
];

/** Drops ALL, or every capability the runtime would grant by default, which leaves the same empty set. */
export function hasDropAll(container: Container): boolean {
  const dropped = new Set((container.securityContext?.capabilities?.drop ?? []).map(normalizeCapability));
  return dropped.has('ALL') || DEFAULT_CAPABILITIES.every((cap) => dropped.has(cap));
}
