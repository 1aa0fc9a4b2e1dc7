import type { RedactedValue } from '@/lib/analysis/snapshot/schema';
import { isRecord, ParseIssue, readArray, readBoolean, readNumber, readRecord, readString, readStringList, readStringMap } from './json';
import type {
  Container,
  ContainerKind,
  ContainerPort,
  ContainerSecurityContext,
  EnvFromSource,
  EnvValue,
  EnvVar,
  PodSecurityContext,
  SecurityContext,
  Sysctl,
} from './workload-types';
import { emptyContainerMemo } from './workload-types';

/*
 * Readers for containers and security contexts. They take the parent's path and a field name and build the full
 * path only when they throw: this runs for every container of every snapshot, and errors are rare.
 */

const NO_ENV: EnvVar[] = [];
const NO_ENV_FROM: EnvFromSource[] = [];
const NO_PORTS: ContainerPort[] = [];

/**
 * Container.path: one function shared by every container, reading its basePath. A closure per container cost a
 * function object each, and under tsx (keepNames) a defineProperty call each: 27,000 per L evaluation.
 */
function containerFieldPath(this: Pick<Container, 'basePath'>, field?: string): string {
  return field ? `${this.basePath}.${field}` : this.basePath;
}

export function readContainer(raw: unknown, kind: ContainerKind, path: string, index: number, pod: string | undefined): Container {
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
    basePath: path,
    path: containerFieldPath,
    source: container,
    memo: emptyContainerMemo(),
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
  const appArmor = readRecord(context.appArmorProfile, at, 'appArmorProfile');
  const seLinux = readRecord(context.seLinuxOptions, at, 'seLinuxOptions');
  return {
    runAsNonRoot: readBoolean(context.runAsNonRoot, at, 'runAsNonRoot'),
    runAsUser: readNumber(context.runAsUser, at, 'runAsUser'),
    seccompProfile: seccomp
      ? { type: readString(seccomp.type, at, 'seccompProfile.type'), localhostProfile: readString(seccomp.localhostProfile, at, 'seccompProfile.localhostProfile') }
      : undefined,
    windowsHostProcess: windows ? readBoolean(windows.hostProcess, at, 'windowsOptions.hostProcess') : undefined,
    appArmorProfile: appArmor
      ? { type: readString(appArmor.type, at, 'appArmorProfile.type'), localhostProfile: readString(appArmor.localhostProfile, at, 'appArmorProfile.localhostProfile') }
      : undefined,
    seLinuxOptions: seLinux
      ? {
          type: readString(seLinux.type, at, 'seLinuxOptions.type'),
          user: readString(seLinux.user, at, 'seLinuxOptions.user'),
          role: readString(seLinux.role, at, 'seLinuxOptions.role'),
          level: readString(seLinux.level, at, 'seLinuxOptions.level'),
        }
      : undefined,
  };
}

/** The pod's securityContext: the shared fields, plus sysctls (a pod-only field). */
export function readSecurityContext(raw: unknown, path: string, field: string): PodSecurityContext | undefined {
  const context = readRecord(raw, path, field);
  if (!context) return undefined;
  const at = `${path}.${field}`;
  const sysctls = readArray(context.sysctls, at, 'sysctls');
  return {
    ...readSecurityContextFields(context, at),
    ...(sysctls.length > 0 ? { sysctls: sysctls.map((item, index) => readSysctl(item, `${at}.sysctls[${index}]`, index)) } : {}),
  };
}

function readSysctl(raw: unknown, path: string, index: number): Sysctl {
  const sysctl = readRecord(raw, path) ?? {};
  const value = sysctl.value;
  return {
    index,
    name: readString(sysctl.name, path, 'name') ?? '',
    // The API takes a string; a hand-written manifest may give a number, which means the same.
    value: typeof value === 'number' ? String(value) : readString(value, path, 'value'),
  };
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
    appArmorProfile: common.appArmorProfile,
    seLinuxOptions: common.seLinuxOptions,
    privileged: readBoolean(context.privileged, at, 'privileged'),
    allowPrivilegeEscalation: readBoolean(context.allowPrivilegeEscalation, at, 'allowPrivilegeEscalation'),
    readOnlyRootFilesystem: readBoolean(context.readOnlyRootFilesystem, at, 'readOnlyRootFilesystem'),
    procMount: readString(context.procMount, at, 'procMount'),
    capabilities: capabilities
      ? { add: readStringList(capabilities.add, at, 'capabilities.add'), drop: readStringList(capabilities.drop, at, 'capabilities.drop') }
      : undefined,
  };
}
