import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { readContainer, readSecurityContext } from './container-reader';
import { isRecord, readArray, readBoolean, readRecord, readString, readStringMap } from './json';
import type { PodBearingKind } from './kube';
import type { Container, ContainerKind, PodSpec, Volume } from './workload-types';

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

/** JSON path of the pod metadata (labels, annotations) in each kind: "metadata", "spec.template.metadata"... */
export function podMetadataPathOf(kind: PodBearingKind): string {
  return PATH_STRINGS[kind].metadata;
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
    os: readString(readRecord(spec.os, base, 'os')?.name, base, 'os.name'),
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
    type: volumeTypeOf(volume),
  };
}

/** The volume source a volume names: its one field besides `name` whose value is set (the API allows exactly one). */
function volumeTypeOf(volume: Record<string, unknown>): string | undefined {
  for (const key in volume) {
    if (key !== 'name' && volume[key] !== undefined && volume[key] !== null) return key;
  }
  return undefined;
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
