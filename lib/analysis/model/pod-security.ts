import type { JsonValue } from './json';
import { effectiveHostProcess, effectiveRunAsNonRoot, effectiveRunAsUser, effectiveSeccomp } from './security-context';
import type { Workload } from './targets';
import { normalizeCapability, podMetadataPathOf } from './workload';
import { containerItem, type AppArmorProfile, type Container, type ContainerMemo, type SeLinuxOptions } from './workload-types';

/*
 * The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/), Baseline and
 * Restricted, as checks over a workload's pod spec. Written from the documentation's tables; the structure (one
 * check per row of the table, each knowing its level and the version it appeared in) follows how
 * k8s.io/pod-security-admission organizes its policy checks. Pure and linear: each check visits every container
 * once and every volume, sysctl and annotation once.
 *
 * Settings that exist at pod and container level are judged on what each container gets: the container's own
 * value, else the pod's. A pod-level unsafe value that every container overrides runs nowhere and is not reported
 * (the admission plugin refuses it anyway, see DISAGREEMENTS.md); a pod-level unsafe value that at least one
 * container inherits is reported once, at the pod's field.
 */

export type PssLevel = 'baseline' | 'restricted';

export type PssCheckId =
  | 'hostProcess'
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'appArmor'
  | 'seLinux'
  | 'procMount'
  | 'seccomp'
  | 'sysctls'
  | 'volumeTypes'
  | 'privilegeEscalation'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seccompRestricted'
  | 'capabilitiesRestricted';

/** One field of the pod spec that breaks a level. `path` is relative to the object (`object` names a Pod below it). */
export type PssViolation = {
  check: PssCheckId;
  level: PssLevel;
  path: string;
  value: JsonValue;
  message: string;
  /** Stable within the workload: names the container (or `pod`) and the field, never a position that can shift. */
  item: string;
  container: Container | undefined;
  object?: { kind: string; name: string };
};

export type PssOptions = {
  /**
   * The Kubernetes minor version the level is enforced at (the namespace's enforce-version label: "v1.29"), or
   * undefined for latest. Some rows of the table (safe sysctls, SELinux types, runAsUser) depend on it.
   */
  minor?: number;
  /** Host ports the cluster allows ("a known list" in the baseline table); the built-in admission allows none. */
  allowedHostPorts?: readonly number[];
};

type Check = { id: PssCheckId; level: PssLevel; title: string; run: (workload: Workload, options: PssOptions) => PssViolation[] };

const LATEST = Number.POSITIVE_INFINITY;

/** "v1.29" → 29; "latest", a missing or an unreadable label → latest (which is what the admission plugin does). */
export function minorOfVersion(version: string | undefined): number {
  const match = version ? /^v1\.(\d+)$/.exec(version.trim()) : null;
  return match ? Number(match[1]) : LATEST;
}

// --- helpers -------------------------------------------------------------------------------------------------

/** `container "web"`, `init container "migrate"`, `ephemeral container "debugger" (on Pod web-7f9c)`. */
export function describeContainer(c: { kind: string; name: string; pod: string | undefined; memo?: ContainerMemo }): string {
  if (c.memo?.label !== undefined) return c.memo.label;
  const label = c.kind === 'initContainer' ? 'init container' : c.kind === 'ephemeralContainer' ? 'ephemeral container' : 'container';
  const text = `${label} "${c.name}"${c.pod ? ` (on Pod ${c.pod})` : ''}`;
  if (c.memo) c.memo.label = text;
  return text;
}

function onContainer(check: PssCheckId, level: PssLevel, c: Container, field: string, value: JsonValue, message: string, item = field): PssViolation {
  return {
    check,
    level,
    path: c.path(field),
    value,
    message,
    item: containerItem(c, item),
    container: c,
    ...(c.pod ? { object: { kind: 'Pod', name: c.pod } } : {}),
  };
}

function onPod(check: PssCheckId, level: PssLevel, path: string, value: JsonValue, message: string, item: string): PssViolation {
  return { check, level, path, value, message, item: `pod:${item}`, container: undefined };
}

/** Windows pods are exempt from the Linux-only rows of restricted (since 1.25). */
function isWindows(workload: Workload, options: PssOptions): boolean {
  return workload.spec.os === 'windows' && (options.minor ?? LATEST) >= 25;
}

/**
 * A setting with a pod-level default and per-container overrides: the containers that set it, judged on their own
 * value, and the pod's value judged once when at least one container inherits it.
 */
function inherited<T>(
  workload: Workload,
  own: (c: Container) => T | undefined,
  pod: T | undefined,
  judgeContainer: (c: Container, value: T) => PssViolation[],
  judgePod: (value: T) => PssViolation[],
): PssViolation[] {
  const out: PssViolation[] = [];
  let inherits = false;
  for (const c of workload.containers) {
    const value = own(c);
    if (value !== undefined) out.push(...judgeContainer(c, value));
    else inherits = true;
  }
  if (pod !== undefined && inherits) out.push(...judgePod(pod));
  return out;
}

// --- baseline ------------------------------------------------------------------------------------------------

/** Capabilities baseline lets a container add: the runtime's default set. */
export const BASELINE_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID',
  'SYS_CHROOT',
]);

/** The safe sysctls and the Kubernetes minor version each became safe in. */
export const SAFE_SYSCTLS: ReadonlyMap<string, number> = new Map([
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
]);

/** SELinux types a container may ask for, with the version each was allowed from. */
export const SELINUX_TYPES: ReadonlyMap<string, number> = new Map([
  ['container_t', 0],
  ['container_init_t', 0],
  ['container_kvm_t', 0],
  ['container_engine_t', 31],
]);

/** Volume sources restricted allows: the ones that cannot reach the node or storage outside PersistentVolumes. */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function seLinuxProblems(options: SeLinuxOptions, minor: number): { field: string; value: string; why: string }[] {
  const problems: { field: string; value: string; why: string }[] = [];
  if (options.type) {
    const since = SELINUX_TYPES.get(options.type);
    if (since === undefined || since > minor) problems.push({ field: 'type', value: options.type, why: `SELinux type ${options.type}` });
  }
  if (options.user) problems.push({ field: 'user', value: options.user, why: `SELinux user ${options.user}` });
  if (options.role) problems.push({ field: 'role', value: options.role, why: `SELinux role ${options.role}` });
  return problems;
}

function appArmorAllowed(profile: AppArmorProfile): boolean {
  return profile.type === undefined || profile.type === 'RuntimeDefault' || profile.type === 'Localhost';
}

function appArmorAnnotationAllowed(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

const BASELINE_CHECKS: Check[] = [
  {
    id: 'hostProcess',
    level: 'baseline',
    title: 'HostProcess',
    run: (workload) => {
      const out: PssViolation[] = [];
      let podReported = false;
      for (const c of workload.containers) {
        const hostProcess = effectiveHostProcess(workload, c);
        if (hostProcess.value !== true) continue;
        if (hostProcess.level === 'container') {
          out.push(onContainer('hostProcess', 'baseline', c, 'securityContext.windowsOptions.hostProcess', true, `${describeContainer(c)} runs as a Windows HostProcess container`));
        } else if (!podReported) {
          podReported = true;
          out.push(onPod('hostProcess', 'baseline', hostProcess.path, true, 'the pod runs its containers as Windows HostProcess containers', 'hostProcess'));
        }
      }
      return out;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    title: 'Host namespaces',
    run: (workload) => {
      const out: PssViolation[] = [];
      const spec = workload.spec;
      if (spec.hostNetwork) out.push(onPod('hostNamespaces', 'baseline', workload.path('hostNetwork'), true, "the pod shares the node's network namespace", 'hostNetwork'));
      if (spec.hostPID) out.push(onPod('hostNamespaces', 'baseline', workload.path('hostPID'), true, "the pod shares the node's process namespace", 'hostPID'));
      if (spec.hostIPC) out.push(onPod('hostNamespaces', 'baseline', workload.path('hostIPC'), true, "the pod shares the node's IPC namespace", 'hostIPC'));
      return out;
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    title: 'Privileged containers',
    run: (workload) =>
      workload.containers
        .filter((c) => c.securityContext?.privileged === true)
        .map((c) => onContainer('privileged', 'baseline', c, 'securityContext.privileged', true, `${describeContainer(c)} runs privileged`)),
  },
  {
    id: 'capabilities',
    level: 'baseline',
    title: 'Capabilities',
    run: (workload) => {
      const out: PssViolation[] = [];
      for (const c of workload.containers) {
        const add = c.securityContext?.capabilities?.add ?? [];
        for (let i = 0; i < add.length; i++) {
          const cap = normalizeCapability(add[i] ?? '');
          if (BASELINE_ADDABLE_CAPABILITIES.has(cap)) continue;
          out.push(onContainer('capabilities', 'baseline', c, `securityContext.capabilities.add[${i}]`, add[i] ?? '', `${describeContainer(c)} adds capability ${cap}`, `capabilities.add:${cap}`));
        }
      }
      return out;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    title: 'HostPath volumes',
    run: (workload) =>
      workload.spec.volumes
        .filter((v) => v.hostPath !== undefined)
        .map((v) =>
          onPod('hostPathVolumes', 'baseline', workload.path(`volumes[${v.index}].hostPath`), v.hostPath ?? '', `volume "${v.name}" mounts host path ${v.hostPath || '(empty)'}`, `volume:${v.name}:hostPath`),
        ),
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    title: 'Host ports',
    run: (workload, options) => {
      const allowed = options.allowedHostPorts ?? [];
      const out: PssViolation[] = [];
      for (const c of workload.containers) {
        for (const port of c.ports) {
          if (!port.hostPort || allowed.includes(port.hostPort)) continue;
          out.push(onContainer('hostPorts', 'baseline', c, `ports[${port.index}].hostPort`, port.hostPort, `${describeContainer(c)} binds host port ${port.hostPort}`, `hostPort:${port.hostPort}`));
        }
      }
      return out;
    },
  },
  {
    id: 'appArmor',
    level: 'baseline',
    title: 'AppArmor',
    run: (workload) => {
      const out: PssViolation[] = [];
      const pod = workload.spec.securityContext?.appArmorProfile;
      // The field decides where it is set; the annotation counts for a container without the field (the
      // kubelet's precedence), and the pod's field for a container with neither.
      out.push(
        ...inherited(
          workload,
          (c) => c.securityContext?.appArmorProfile,
          pod,
          (c, profile) =>
            appArmorAllowed(profile)
              ? []
              : [onContainer('appArmor', 'baseline', c, 'securityContext.appArmorProfile.type', profile.type ?? null, `${describeContainer(c)} uses AppArmor profile ${profile.type ?? ''}`)],
          (profile) =>
            appArmorAllowed(profile)
              ? []
              : [onPod('appArmor', 'baseline', workload.path('securityContext.appArmorProfile.type'), profile.type ?? null, `the pod's AppArmor profile is ${profile.type ?? ''}`, 'appArmorProfile')],
        ),
      );
      const annotations = workload.spec.annotations;
      const metadata = podMetadataPathOf(workload.kind);
      for (const key in annotations) {
        if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
        const value = annotations[key] ?? '';
        if (appArmorAnnotationAllowed(value)) continue;
        const name = key.slice(APPARMOR_ANNOTATION.length);
        out.push(onPod('appArmor', 'baseline', `${metadata}.annotations["${key}"]`, value, `container "${name}" uses AppArmor profile ${value} (annotation)`, `apparmor-annotation:${name}`));
      }
      return out;
    },
  },
  {
    id: 'seLinux',
    level: 'baseline',
    title: 'SELinux',
    run: (workload, options) => {
      const minor = options.minor ?? LATEST;
      return inherited(
        workload,
        (c) => c.securityContext?.seLinuxOptions,
        workload.spec.securityContext?.seLinuxOptions,
        (c, selinux) =>
          seLinuxProblems(selinux, minor).map((p) =>
            onContainer('seLinux', 'baseline', c, `securityContext.seLinuxOptions.${p.field}`, p.value, `${describeContainer(c)} sets ${p.why}`),
          ),
        (selinux) =>
          seLinuxProblems(selinux, minor).map((p) =>
            onPod('seLinux', 'baseline', workload.path(`securityContext.seLinuxOptions.${p.field}`), p.value, `the pod sets ${p.why}`, `seLinuxOptions.${p.field}`),
          ),
      );
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    title: '/proc mount type',
    run: (workload) =>
      workload.containers
        .filter((c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default')
        .map((c) =>
          onContainer('procMount', 'baseline', c, 'securityContext.procMount', c.securityContext?.procMount ?? null, `${describeContainer(c)} sets procMount: ${c.securityContext?.procMount ?? ''}`),
        ),
  },
  {
    id: 'seccomp',
    level: 'baseline',
    title: 'Seccomp',
    run: (workload) => {
      const out: PssViolation[] = [];
      let podReported = false;
      for (const c of workload.containers) {
        const profile = effectiveSeccomp(workload, c);
        if (profile.value !== 'Unconfined') continue;
        if (profile.level === 'container') {
          out.push({ ...onContainer('seccomp', 'baseline', c, 'securityContext.seccompProfile.type', 'Unconfined', `${describeContainer(c)} runs seccomp Unconfined`), path: profile.path });
        } else if (!podReported) {
          podReported = true;
          out.push(onPod('seccomp', 'baseline', profile.path, 'Unconfined', "the pod's seccomp profile is Unconfined", 'seccompProfile'));
        }
      }
      return out;
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    title: 'Sysctls',
    run: (workload, options) => {
      const minor = options.minor ?? LATEST;
      const out: PssViolation[] = [];
      for (const sysctl of workload.spec.securityContext?.sysctls ?? []) {
        const since = SAFE_SYSCTLS.get(sysctl.name);
        if (since !== undefined && since <= minor) continue;
        out.push(
          onPod(
            'sysctls',
            'baseline',
            workload.path(`securityContext.sysctls[${sysctl.index}].name`),
            sysctl.name,
            since === undefined ? `the pod sets sysctl ${sysctl.name}, which is not in the safe set` : `the pod sets sysctl ${sysctl.name}, safe only from Kubernetes 1.${since}`,
            `sysctl:${sysctl.name}`,
          ),
        );
      }
      return out;
    },
  },
];

// --- restricted ----------------------------------------------------------------------------------------------

const RESTRICTED_CHECKS: Check[] = [
  {
    id: 'volumeTypes',
    level: 'restricted',
    title: 'Volume types',
    // A volume that names no source is defaulted to emptyDir by the API server, which restricted allows.
    run: (workload) =>
      workload.spec.volumes
        .filter((v) => v.type !== undefined && !RESTRICTED_VOLUME_TYPES.has(v.type))
        .map((v) =>
          onPod(
            'volumeTypes',
            'restricted',
            workload.path(`volumes[${v.index}].${v.type ?? ''}`),
            v.type ?? null,
            `volume "${v.name}" is a ${v.type ?? ''} volume, which restricted does not allow`,
            `volume:${v.name}:type`,
          ),
        ),
  },
  {
    id: 'privilegeEscalation',
    level: 'restricted',
    title: 'Privilege escalation',
    run: (workload, options) =>
      isWindows(workload, options)
        ? []
        : workload.containers
            .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
            .map((c) => {
              const value = c.securityContext?.allowPrivilegeEscalation;
              return onContainer(
                'privilegeEscalation',
                'restricted',
                c,
                'securityContext.allowPrivilegeEscalation',
                value ?? null,
                value === true ? `${describeContainer(c)} sets allowPrivilegeEscalation: true` : `${describeContainer(c)} does not set allowPrivilegeEscalation: false (it defaults to true)`,
              );
            }),
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    title: 'Running as non-root',
    run: (workload) => {
      const out: PssViolation[] = [];
      for (const c of workload.containers) {
        const nonRoot = effectiveRunAsNonRoot(workload, c);
        if (nonRoot.value === true) continue;
        out.push({
          ...onContainer(
            'runAsNonRoot',
            'restricted',
            c,
            'securityContext.runAsNonRoot',
            nonRoot.value ?? null,
            nonRoot.value === false
              ? `${describeContainer(c)} sets runAsNonRoot: false${nonRoot.level === 'pod' ? ' (inherited from the pod)' : ''}`
              : `${describeContainer(c)} does not set runAsNonRoot: true, at its level or the pod's`,
          ),
          path: nonRoot.path,
        });
      }
      return out;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    title: 'Running as non-root user',
    run: (workload, options) => {
      if ((options.minor ?? LATEST) < 23) return [];
      const out: PssViolation[] = [];
      let podReported = false;
      for (const c of workload.containers) {
        const user = effectiveRunAsUser(workload, c);
        if (user.value !== 0) continue;
        if (user.level === 'container') out.push(onContainer('runAsUser', 'restricted', c, 'securityContext.runAsUser', 0, `${describeContainer(c)} runs as UID 0 (root)`));
        else if (!podReported) {
          podReported = true;
          out.push(onPod('runAsUser', 'restricted', user.path, 0, 'the pod runs its containers as UID 0 (root)', 'runAsUser'));
        }
      }
      return out;
    },
  },
  {
    id: 'seccompRestricted',
    level: 'restricted',
    title: 'Seccomp (restricted)',
    run: (workload, options) => {
      if (isWindows(workload, options)) return [];
      const out: PssViolation[] = [];
      for (const c of workload.containers) {
        const profile = effectiveSeccomp(workload, c);
        // Unconfined is already a baseline violation; restricted adds "must be set".
        if (profile.value === 'RuntimeDefault' || profile.value === 'Localhost' || profile.value === 'Unconfined') continue;
        out.push({
          ...onContainer(
            'seccompRestricted',
            'restricted',
            c,
            'securityContext.seccompProfile.type',
            profile.value ?? null,
            profile.value === undefined
              ? `${describeContainer(c)} has no seccomp profile (set RuntimeDefault or Localhost on it or on the pod)`
              : `${describeContainer(c)} uses seccomp profile ${profile.value}`,
          ),
          path: profile.path,
        });
      }
      return out;
    },
  },
  {
    id: 'capabilitiesRestricted',
    level: 'restricted',
    title: 'Capabilities (restricted)',
    run: (workload, options) => {
      if (isWindows(workload, options)) return [];
      const out: PssViolation[] = [];
      for (const c of workload.containers) {
        const caps = c.securityContext?.capabilities;
        const drop = caps?.drop ?? [];
        if (!drop.some((cap) => normalizeCapability(cap) === 'ALL')) {
          out.push(onContainer('capabilitiesRestricted', 'restricted', c, 'securityContext.capabilities.drop', drop.length > 0 ? drop : null, `${describeContainer(c)} does not drop ALL capabilities`));
        }
        const add = caps?.add ?? [];
        for (let i = 0; i < add.length; i++) {
          const cap = normalizeCapability(add[i] ?? '');
          // Adds outside the baseline set are reported by the baseline row already.
          if (cap === 'NET_BIND_SERVICE' || !BASELINE_ADDABLE_CAPABILITIES.has(cap)) continue;
          out.push(
            onContainer('capabilitiesRestricted', 'restricted', c, `securityContext.capabilities.add[${i}]`, add[i] ?? '', `${describeContainer(c)} adds capability ${cap} (restricted allows only NET_BIND_SERVICE)`, `capabilities.add:${cap}`),
          );
        }
      }
      return out;
    },
  },
];

export const PSS_CHECKS: readonly Check[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS];
const BY_ID = new Map(PSS_CHECKS.map((check) => [check.id, check]));

/** One row of the standard: what a control reporting that field calls. */
export function checkPodSecurity(workload: Workload, id: PssCheckId, options: PssOptions = {}): PssViolation[] {
  const check = BY_ID.get(id);
  return check ? check.run(workload, options) : [];
}

/**
 * Every violation of `level` (restricted includes baseline), in the table's order. A workload that returns none
 * would be admitted by a namespace enforcing that level.
 */
export function evaluatePodSecurity(workload: Workload, level: PssLevel, options: PssOptions = {}): PssViolation[] {
  const out: PssViolation[] = [];
  for (const check of PSS_CHECKS) {
    if (check.level === 'restricted' && level === 'baseline') continue;
    out.push(...check.run(workload, options));
  }
  return out;
}
