import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, deployment, pod } from '@/lib/testing/k8s';
import type { PodBearingKind } from './kube';
import { checkPodSecurity, evaluatePodSecurity, minorOfVersion, type PssCheckId, type PssLevel } from './pod-security';
import { workloadOf, type Workload } from './targets';
import { podSpecOf } from './workload';

type Json = Record<string, unknown>;

function workload(object: KubeObject): Workload {
  return workloadOf(object, object.kind as PodBearingKind, podSpecOf(object, object.kind as PodBearingKind));
}

/** A Pod whose every container list holds one container (the clean factory container, plus `overrides`). */
function podWith(spec: Json = {}, each: Json = {}, annotations?: Record<string, string>): Workload {
  return workload(
    pod(annotations ? { annotations } : {}, {
      initContainers: [container({ name: 'init', ...each })],
      containers: [container({ name: 'app', ...each })],
      ephemeralContainers: [container({ name: 'debug', ...each })],
      ...spec,
    }),
  );
}

/** The factory container's securityContext with `patch` on top: restricted-clean unless the patch says otherwise. */
const sc = (patch: Json) => ({ securityContext: { ...(container().securityContext as Json), ...patch } });

const paths = (workload: Workload, check: PssCheckId) => checkPodSecurity(workload, check).map((v) => v.path);

describe('the clean factory pod', () => {
  it('passes restricted (and so baseline) in every container list', () => {
    expect(evaluatePodSecurity(podWith(), 'restricted')).toEqual([]);
    expect(evaluatePodSecurity(podWith(), 'baseline')).toEqual([]);
  });
});

/** Container-level fields: one case per field, failing in each of the three container lists with its own path. */
const CONTAINER_FIELDS: { check: PssCheckId; level: PssLevel; bad: Json; good: Json; field: string }[] = [
  { check: 'privileged', level: 'baseline', bad: sc({ privileged: true }), good: sc({ privileged: false }), field: 'securityContext.privileged' },
  { check: 'capabilities', level: 'baseline', bad: sc({ capabilities: { drop: ['ALL'], add: ['CHOWN', 'SYS_ADMIN'] } }), good: sc({ capabilities: { drop: ['ALL'], add: ['CHOWN', 'KILL'] } }), field: 'securityContext.capabilities.add[1]' },
  { check: 'hostPorts', level: 'baseline', bad: { ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }] }, good: { ports: [{ containerPort: 80, hostPort: 0 }] }, field: 'ports[1].hostPort' },
  { check: 'procMount', level: 'baseline', bad: sc({ procMount: 'Unmasked' }), good: sc({ procMount: 'Default' }), field: 'securityContext.procMount' },
  { check: 'seccomp', level: 'baseline', bad: sc({ seccompProfile: { type: 'Unconfined' } }), good: sc({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }), field: 'securityContext.seccompProfile.type' },
  { check: 'appArmor', level: 'baseline', bad: sc({ appArmorProfile: { type: 'Unconfined' } }), good: sc({ appArmorProfile: { type: 'RuntimeDefault' } }), field: 'securityContext.appArmorProfile.type' },
  { check: 'seLinux', level: 'baseline', bad: sc({ seLinuxOptions: { type: 'spc_t' } }), good: sc({ seLinuxOptions: { type: 'container_init_t', level: 's0:c1,c2' } }), field: 'securityContext.seLinuxOptions.type' },
  { check: 'seLinux', level: 'baseline', bad: sc({ seLinuxOptions: { user: 'system_u' } }), good: sc({ seLinuxOptions: { user: '' } }), field: 'securityContext.seLinuxOptions.user' },
  { check: 'seLinux', level: 'baseline', bad: sc({ seLinuxOptions: { role: 'system_r' } }), good: sc({ seLinuxOptions: {} }), field: 'securityContext.seLinuxOptions.role' },
  { check: 'hostProcess', level: 'baseline', bad: sc({ windowsOptions: { hostProcess: true } }), good: sc({ windowsOptions: { hostProcess: false } }), field: 'securityContext.windowsOptions.hostProcess' },
  { check: 'privilegeEscalation', level: 'restricted', bad: sc({ allowPrivilegeEscalation: true }), good: sc({}), field: 'securityContext.allowPrivilegeEscalation' },
  { check: 'privilegeEscalation', level: 'restricted', bad: sc({ allowPrivilegeEscalation: undefined }), good: sc({}), field: 'securityContext.allowPrivilegeEscalation' },
  { check: 'runAsNonRoot', level: 'restricted', bad: sc({ runAsNonRoot: false }), good: sc({ runAsNonRoot: true }), field: 'securityContext.runAsNonRoot' },
  { check: 'runAsUser', level: 'restricted', bad: sc({ runAsUser: 0 }), good: sc({ runAsUser: 1000 }), field: 'securityContext.runAsUser' },
  { check: 'capabilitiesRestricted', level: 'restricted', bad: sc({ capabilities: { drop: ['NET_RAW'] } }), good: sc({ capabilities: { drop: ['all'] } }), field: 'securityContext.capabilities.drop' },
  { check: 'capabilitiesRestricted', level: 'restricted', bad: sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } }), good: sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), field: 'securityContext.capabilities.add[1]' },
  { check: 'seccompRestricted', level: 'restricted', bad: sc({ seccompProfile: { type: 'Bogus' } }), good: sc({ seccompProfile: { type: 'RuntimeDefault' } }), field: 'securityContext.seccompProfile.type' },
];

describe('container-level fields, in containers, initContainers and ephemeralContainers', () => {
  for (const { check, level, bad, good, field } of CONTAINER_FIELDS) {
    it(`${check}: ${JSON.stringify(bad)} breaks ${level} at ${field}`, () => {
      const failing = podWith({}, bad);
      const found = checkPodSecurity(failing, check);
      expect(found.map((v) => v.path)).toEqual([
        `spec.containers[0].${field}`,
        `spec.initContainers[0].${field}`,
        `spec.ephemeralContainers[0].${field}`,
      ]);
      expect(new Set(found.map((v) => v.level))).toEqual(new Set([level]));
      // The level's evaluation includes it; a restricted row is not part of baseline.
      expect(evaluatePodSecurity(failing, level).some((v) => v.check === check)).toBe(true);
      if (level === 'restricted') expect(evaluatePodSecurity(failing, 'baseline').some((v) => v.check === check)).toBe(false);
      expect(checkPodSecurity(podWith({}, good), check)).toEqual([]);
    });
  }

  it('names init and ephemeral containers in the message', () => {
    const messages = checkPodSecurity(podWith({}, sc({ privileged: true })), 'privileged').map((v) => v.message);
    expect(messages).toEqual(['container "app" runs privileged', 'init container "init" runs privileged', 'ephemeral container "debug" runs privileged']);
  });

  it('lets host ports from the allowed list through', () => {
    const w = podWith({}, { ports: [{ containerPort: 8080, hostPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] });
    expect(checkPodSecurity(w, 'hostPorts', { allowedHostPorts: [8080] }).map((v) => v.value)).toEqual([9090, 9090, 9090]);
  });

  it('judges capabilities as the runtime names them (CAP_ prefix, any case), baseline and restricted split', () => {
    const w = podWith({ initContainers: [], ephemeralContainers: [] }, sc({ capabilities: { drop: ['ALL'], add: ['cap_sys_admin', 'CAP_CHOWN', 'net_bind_service'] } }));
    expect(checkPodSecurity(w, 'capabilities').map((v) => [v.path, v.value])).toEqual([['spec.containers[0].securityContext.capabilities.add[0]', 'cap_sys_admin']]);
    expect(checkPodSecurity(w, 'capabilitiesRestricted').map((v) => [v.path, v.value])).toEqual([['spec.containers[0].securityContext.capabilities.add[1]', 'CAP_CHOWN']]);
  });
});

describe('pod-level settings inherited by containers and overridden per container', () => {
  const only = { initContainers: [], ephemeralContainers: [] };
  const two = (pod: Json, first: Json, second: Json) =>
    podWith({ ...only, securityContext: pod, containers: [container({ name: 'a', ...first }), container({ name: 'b', ...second })] });
  const restrictedPod = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };

  it('seccomp: a safe pod default overridden to Unconfined in one container breaks baseline at that container', () => {
    const w = two(restrictedPod, sc({ seccompProfile: { type: 'Unconfined' } }), sc({}));
    expect(paths(w, 'seccomp')).toEqual(['spec.containers[0].securityContext.seccompProfile.type']);
  });

  it('seccomp: a pod-level Unconfined fixed in every container runs nowhere; inherited by one, it is reported once at the pod', () => {
    const fixed = two({ ...restrictedPod, seccompProfile: { type: 'Unconfined' } }, sc({ seccompProfile: { type: 'RuntimeDefault' } }), sc({ seccompProfile: { type: 'Localhost' } }));
    expect(evaluatePodSecurity(fixed, 'restricted')).toEqual([]);
    const inherited = two({ ...restrictedPod, seccompProfile: { type: 'Unconfined' } }, sc({ seccompProfile: { type: 'RuntimeDefault' } }), sc({}));
    expect(paths(inherited, 'seccomp')).toEqual(['spec.securityContext.seccompProfile.type']);
  });

  it('seccomp restricted: set on the pod, or on every container', () => {
    const none = two({ runAsNonRoot: true }, sc({ seccompProfile: { type: 'RuntimeDefault' } }), sc({}));
    expect(paths(none, 'seccompRestricted')).toEqual(['spec.containers[1].securityContext.seccompProfile.type']);
    const every = two({ runAsNonRoot: true }, sc({ seccompProfile: { type: 'RuntimeDefault' } }), sc({ seccompProfile: { type: 'Localhost' } }));
    expect(evaluatePodSecurity(every, 'restricted')).toEqual([]);
  });

  it('runAsNonRoot: a pod-level true covers containers that say nothing; a container false overrides it', () => {
    const w = two(restrictedPod, sc({ runAsNonRoot: undefined }), sc({ runAsNonRoot: false }));
    expect(checkPodSecurity(w, 'runAsNonRoot').map((v) => [v.path, v.message])).toEqual([
      ['spec.containers[1].securityContext.runAsNonRoot', 'container "b" sets runAsNonRoot: false'],
    ]);
  });

  it('runAsNonRoot: a pod-level false is overridden by containers that set true, and breaks the ones that inherit it', () => {
    const fixed = two({ ...restrictedPod, runAsNonRoot: false }, sc({ runAsNonRoot: true }), sc({ runAsNonRoot: true }));
    expect(checkPodSecurity(fixed, 'runAsNonRoot')).toEqual([]);
    const inherits = two({ ...restrictedPod, runAsNonRoot: false }, sc({ runAsNonRoot: true }), sc({ runAsNonRoot: undefined }));
    expect(checkPodSecurity(inherits, 'runAsNonRoot').map((v) => [v.path, v.message])).toEqual([
      ['spec.securityContext.runAsNonRoot', 'container "b" sets runAsNonRoot: false (inherited from the pod)'],
    ]);
  });

  it('runAsNonRoot: unset at both levels breaks restricted', () => {
    const w = two({ seccompProfile: { type: 'RuntimeDefault' } }, sc({ runAsNonRoot: undefined }), sc({}));
    expect(paths(w, 'runAsNonRoot')).toEqual(['spec.containers[0].securityContext.runAsNonRoot']);
  });

  it('runAsUser: pod-level 0 inherited by one container is reported once at the pod; fixed everywhere, not at all', () => {
    const inherited = two({ ...restrictedPod, runAsUser: 0 }, sc({ runAsUser: 1000 }), sc({}));
    expect(paths(inherited, 'runAsUser')).toEqual(['spec.securityContext.runAsUser']);
    const fixed = two({ ...restrictedPod, runAsUser: 0 }, sc({ runAsUser: 1000 }), sc({ runAsUser: 1001 }));
    expect(checkPodSecurity(fixed, 'runAsUser')).toEqual([]);
  });

  it('SELinux: the container options replace the pod options; pod-level problems count where inherited', () => {
    const override = two({ ...restrictedPod, seLinuxOptions: { type: 'container_t' } }, sc({ seLinuxOptions: { type: 'unconfined_t' } }), sc({}));
    expect(paths(override, 'seLinux')).toEqual(['spec.containers[0].securityContext.seLinuxOptions.type']);
    const podLevel = two({ ...restrictedPod, seLinuxOptions: { user: 'root', role: 'sysadm_r' } }, sc({}), sc({ seLinuxOptions: { type: 'container_t' } }));
    expect(paths(podLevel, 'seLinux')).toEqual(['spec.securityContext.seLinuxOptions.user', 'spec.securityContext.seLinuxOptions.role']);
    const fixed = two({ ...restrictedPod, seLinuxOptions: { type: 'spc_t' } }, sc({ seLinuxOptions: { type: 'container_t' } }), sc({ seLinuxOptions: {} }));
    expect(checkPodSecurity(fixed, 'seLinux')).toEqual([]);
  });

  it('SELinux container_engine_t is allowed from 1.31 on', () => {
    const w = two(restrictedPod, sc({ seLinuxOptions: { type: 'container_engine_t' } }), sc({}));
    expect(checkPodSecurity(w, 'seLinux')).toEqual([]);
    expect(checkPodSecurity(w, 'seLinux', { minor: 30 }).map((v) => v.value)).toEqual(['container_engine_t']);
  });

  it('AppArmor: pod field inherited, container field overriding, and the legacy annotation per container', () => {
    const podLevel = two({ ...restrictedPod, appArmorProfile: { type: 'Unconfined' } }, sc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-app' } }), sc({}));
    expect(paths(podLevel, 'appArmor')).toEqual(['spec.securityContext.appArmorProfile.type']);
    const fixed = two({ ...restrictedPod, appArmorProfile: { type: 'Unconfined' } }, sc({ appArmorProfile: { type: 'RuntimeDefault' } }), sc({ appArmorProfile: { type: 'Localhost' } }));
    expect(checkPodSecurity(fixed, 'appArmor')).toEqual([]);
    const annotated = workload(
      deployment({}, {}),
    );
    expect(checkPodSecurity(annotated, 'appArmor')).toEqual([]);
    const object = deployment();
    const template = (object.spec as { template: { metadata: Json } }).template;
    template.metadata.annotations = {
      'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/sidecar': 'localhost/k8s-sidecar',
      'container.apparmor.security.beta.kubernetes.io/other': 'runtime/default',
    };
    expect(checkPodSecurity(workload(object), 'appArmor').map((v) => [v.path, v.value, v.message])).toEqual([
      ['spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]', 'unconfined', 'container "app" uses AppArmor profile unconfined (annotation)'],
    ]);
  });

  it('HostProcess on the pod is reported once; a container that says false is not', () => {
    const w = two({ ...restrictedPod, windowsOptions: { hostProcess: true } }, sc({ windowsOptions: { hostProcess: false } }), sc({}));
    expect(paths(w, 'hostProcess')).toEqual(['spec.securityContext.windowsOptions.hostProcess']);
    const fixed = two({ ...restrictedPod, windowsOptions: { hostProcess: true } }, sc({ windowsOptions: { hostProcess: false } }), sc({ windowsOptions: { hostProcess: false } }));
    expect(checkPodSecurity(fixed, 'hostProcess')).toEqual([]);
  });
});

describe('pod-only fields', () => {
  it('host namespaces', () => {
    expect(paths(podWith({ hostNetwork: true, hostPID: true, hostIPC: true }), 'hostNamespaces')).toEqual(['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC']);
    expect(paths(podWith({ hostNetwork: false }), 'hostNamespaces')).toEqual([]);
  });

  it('hostPath volumes (baseline) and volume types (restricted), at the template path of a Deployment', () => {
    const w = workload(
      deployment({}, {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'root', hostPath: { path: '/' } },
          { name: 'share', nfs: { server: 'nfs.local', path: '/export' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'tmp', emptyDir: {} },
          { name: 'token', projected: { sources: [] } },
          { name: 'scratch', ephemeral: { volumeClaimTemplate: {} } },
          { name: 'inline', csi: { driver: 'x' } },
          { name: 'info', downwardAPI: { items: [] } },
          { name: 'creds', secret: { secretName: 's' } },
          // No source: the API server makes it an emptyDir.
          { name: 'bare' },
        ],
      }),
    );
    expect(paths(w, 'hostPathVolumes')).toEqual(['spec.template.spec.volumes[1].hostPath']);
    expect(checkPodSecurity(w, 'volumeTypes').map((v) => [v.path, v.value, v.level])).toEqual([
      ['spec.template.spec.volumes[1].hostPath', 'hostPath', 'restricted'],
      ['spec.template.spec.volumes[2].nfs', 'nfs', 'restricted'],
    ]);
    expect(evaluatePodSecurity(w, 'baseline').map((v) => v.check)).toEqual(['hostPathVolumes']);
  });

  it('sysctls: the safe set passes, anything else breaks baseline, and the set depends on the version', () => {
    const w = podWith({
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [
          { name: 'net.ipv4.ip_local_port_range', value: '1024 65000' },
          { name: 'kernel.msgmax', value: '65536' },
          { name: 'net.ipv4.tcp_keepalive_time', value: '600' },
          { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' },
        ],
      },
    });
    expect(checkPodSecurity(w, 'sysctls').map((v) => [v.path, v.value])).toEqual([['spec.securityContext.sysctls[1].name', 'kernel.msgmax']]);
    expect(checkPodSecurity(w, 'sysctls', { minor: 29 }).map((v) => v.value)).toEqual(['kernel.msgmax', 'net.ipv4.tcp_rmem']);
    expect(checkPodSecurity(w, 'sysctls', { minor: 28 }).map((v) => v.message)).toEqual([
      'the pod sets sysctl kernel.msgmax, which is not in the safe set',
      'the pod sets sysctl net.ipv4.tcp_keepalive_time, safe only from Kubernetes 1.29',
      'the pod sets sysctl net.ipv4.tcp_rmem, safe only from Kubernetes 1.32',
    ]);
  });

  it('Windows pods are exempt from the Linux-only restricted rows (from 1.25)', () => {
    const w = podWith({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true } }, { securityContext: {} });
    expect(evaluatePodSecurity(w, 'restricted').map((v) => v.check)).toEqual([]);
    expect(evaluatePodSecurity(w, 'restricted', { minor: 24 }).map((v) => v.check)).toEqual(
      expect.arrayContaining(['privilegeEscalation', 'seccompRestricted', 'capabilitiesRestricted']),
    );
  });

  it('ephemeral containers found on a Pod below a workload carry the Pod as the object, their path relative to it', () => {
    const w = workload(deployment());
    w.containers.push(...podWith({}, sc({ privileged: true })).containers.filter((c) => c.kind === 'ephemeralContainer').map((c) => ({ ...c, pod: 'app-7f9c-0' })));
    const [found] = checkPodSecurity(w, 'privileged');
    expect(found).toMatchObject({ path: 'spec.ephemeralContainers[0].securityContext.privileged', object: { kind: 'Pod', name: 'app-7f9c-0' } });
  });
});

describe('minorOfVersion', () => {
  it('reads v1.N and treats latest or anything else as the newest version', () => {
    expect(minorOfVersion('v1.29')).toBe(29);
    expect(minorOfVersion('latest')).toBe(Number.POSITIVE_INFINITY);
    expect(minorOfVersion(undefined)).toBe(Number.POSITIVE_INFINITY);
    expect(minorOfVersion('1.29')).toBe(Number.POSITIVE_INFINITY);
  });
});
