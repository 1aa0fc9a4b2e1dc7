import type { ImageRef } from './images';
import type { RedactedValue } from '@/lib/analysis/snapshot/schema';

/*
 * The typed view of a pod spec and its containers that the controls read. Types only: container-reader.ts reads
 * containers and security contexts into them, workload.ts reads the pod spec around them.
 */

export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer';

export type Capabilities = { add: string[]; drop: string[] };
export type SeccompProfile = { type: string | undefined; localhostProfile: string | undefined };
/** securityContext.appArmorProfile (the field, GA in 1.30; the older annotation is read from the pod's metadata). */
export type AppArmorProfile = { type: string | undefined; localhostProfile: string | undefined };
export type SeLinuxOptions = { type: string | undefined; user: string | undefined; role: string | undefined; level: string | undefined };
export type Sysctl = { index: number; name: string; value: string | undefined };

/** The securityContext fields shared by pods and containers that the controls read. */
export type SecurityContext = {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: SeccompProfile;
  windowsHostProcess?: boolean;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: SeLinuxOptions;
};

/** The pod-level securityContext: the shared fields plus those only a pod has. */
export type PodSecurityContext = SecurityContext & { sysctls?: Sysctl[] };

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
  /** JSON path of the container in the object it was read from (`spec.template.spec.containers[0]`). */
  basePath: string;
  /** JSON path of a field of this container, relative to the object the container was read from. */
  path(field?: string): string;
  /** The container as the snapshot has it, for the fields the typed reading leaves out (args, probe headers). */
  source: Readonly<Record<string, unknown>>;
  /**
   * Answers several controls ask of this container in one evaluation, kept by security-context.ts on first use.
   * A slot on the container rather than a WeakMap beside it: four WeakMaps over every container of a 50,000-pod
   * cluster made the garbage collector's ephemeron work a visible share of evaluate() (issue 21 bench).
   */
  readonly memo: ContainerMemo;
};

export type ContainerMemo = {
  runAsNonRoot: Effective<boolean> | undefined;
  runAsUser: Effective<number> | undefined;
  seccomp: Effective<string> | undefined;
  hostProcess: Effective<boolean> | undefined;
  image: ImageRef | undefined;
  /** describeContainer's text: a dozen controls name the same container in their messages. */
  label: string | undefined;
  /** `container:web:`, the start of the item of every violation on one of its fields. */
  itemPrefix: string | undefined;
};

/** Every slot present from the start, so all memos share one shape. */
export function emptyContainerMemo(): ContainerMemo {
  return { runAsNonRoot: undefined, runAsUser: undefined, seccomp: undefined, hostProcess: undefined, image: undefined, label: undefined, itemPrefix: undefined };
}

/** The item of a violation on a field of a container: the fingerprint follows the container's name, not its position. */
export function containerItem(container: Pick<Container, 'kind' | 'name' | 'memo'>, field: string): string {
  return (container.memo.itemPrefix ??= `${container.kind}:${container.name}:`) + field;
}

/** A field that can be set on the pod and on the container, after Kubernetes' precedence; the path is where it was decided. */
export type Effective<T> = { value: T | undefined; path: string; level: 'container' | 'pod' };

/** `type` is the volume source's field name (hostPath, emptyDir, nfs...), undefined when the volume names none. */
export type Volume = { index: number; name: string; hostPath: string | undefined; type: string | undefined };

export type PodSpec = {
  hostPID: boolean;
  hostIPC: boolean;
  hostNetwork: boolean;
  serviceAccountName: string | undefined;
  automountServiceAccountToken: boolean | undefined;
  securityContext: PodSecurityContext | undefined;
  /** spec.os.name ("linux", "windows"), when set. */
  os: string | undefined;
  volumes: Volume[];
  containers: Container[];
  /** Pod-level annotations of the template (legacy seccomp annotations live there). */
  annotations: Record<string, string>;
  labels: Record<string, string>;
};
