import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, deployment, deploymentWithPods, namespace, networkPolicy, serviceAccount, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');

function findingsOf(controlId: string, objects: KubeObject[]) {
  return evaluate(snapshotOf([namespace('team-a'), networkPolicy(), serviceAccount(), ...objects]), { now: NOW, controlIds: [controlId] }).findings;
}

const clean = container().securityContext as Record<string, unknown>;
const withPodSecurity = (patch: Record<string, unknown>) =>
  deployment({}, { securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' }, ...patch } });

function withAnnotations(object: KubeObject, annotations: Record<string, string>): KubeObject {
  (object.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.annotations = annotations;
  return object;
}

/** The Pod Security Standards rows that had no control before, failing and passing, with the evidence path. */
const CASES: { control: string; failing: KubeObject; passing: KubeObject; message: RegExp; path: string }[] = [
  {
    control: 'workload.unsafe-sysctls',
    failing: withPodSecurity({ sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }] }),
    passing: withPodSecurity({ sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'net.ipv4.tcp_wmem', value: '4096 16384 4194304' }] }),
    message: /sysctl net\.core\.somaxconn, which is not in the safe set/,
    path: 'spec.template.spec.securityContext.sysctls[1].name',
  },
  {
    control: 'workload.apparmor-profile',
    failing: deployment({}, { containers: [container({ securityContext: { ...clean, appArmorProfile: { type: 'Unconfined' } } })] }),
    passing: deployment({}, { containers: [container({ securityContext: { ...clean, appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-app' } } })] }),
    message: /container "app" uses AppArmor profile Unconfined/,
    path: 'spec.template.spec.containers[0].securityContext.appArmorProfile.type',
  },
  {
    control: 'workload.apparmor-profile',
    failing: withAnnotations(deployment(), { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }),
    passing: withAnnotations(deployment(), { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }),
    message: /container "app" uses AppArmor profile unconfined \(annotation\)/,
    path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
  },
  {
    control: 'workload.selinux-options',
    failing: withPodSecurity({ seLinuxOptions: { type: 'spc_t' } }),
    passing: withPodSecurity({ seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } }),
    message: /the pod sets SELinux type spc_t/,
    path: 'spec.template.spec.securityContext.seLinuxOptions.type',
  },
  {
    control: 'workload.restricted-volume-types',
    failing: deployment({}, { volumes: [{ name: 'repo', gitRepo: { repository: 'https://example.com/r.git' } }] }),
    passing: deployment({}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] }),
    message: /volume "repo" is a gitRepo volume/,
    path: 'spec.template.spec.volumes[0].gitRepo',
  },
];

describe('Pod Security Standards controls', () => {
  for (const { control, failing, passing, message, path } of CASES) {
    it(`${control}: reports ${path} and passes the fixed workload`, () => {
      const findings = findingsOf(control, [failing]);
      expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(message)]);
      expect(findings[0]?.evidence).toMatchObject({ type: 'path', path });
      expect(findingsOf(control, [passing])).toEqual([]);
    });
  }

  it('an init container overriding the pod-level SELinux type is reported at its own field, once', () => {
    const object = withPodSecurity({ seLinuxOptions: { type: 'container_t' } });
    (object.spec as { template: { spec: Record<string, unknown> } }).template.spec.initContainers = [
      container({ name: 'setup', securityContext: { ...clean, seLinuxOptions: { type: 'unconfined_t', role: 'system_r' } } }),
    ];
    expect(findingsOf('workload.selinux-options', [object]).map((f) => [f.message, (f.evidence as { path: string }).path])).toEqual([
      ['init container "setup" sets SELinux type unconfined_t', 'spec.template.spec.initContainers[0].securityContext.seLinuxOptions.type'],
      ['init container "setup" sets SELinux role system_r', 'spec.template.spec.initContainers[0].securityContext.seLinuxOptions.role'],
    ]);
  });

  it('an ephemeral container added to a running Pod is attributed to its Deployment, with the Pod named', () => {
    const [d, rs, pod0, pod1] = deploymentWithPods();
    (pod0!.spec as Record<string, unknown>).ephemeralContainers = [container({ name: 'debugger', securityContext: { ...clean, procMount: 'Unmasked' } })];
    const findings = findingsOf('workload.proc-mount', [d!, rs!, pod0!, pod1!]);
    expect(findings.map((f) => [f.resource.kind, f.message])).toEqual([['Deployment', `ephemeral container "debugger" (on Pod ${pod0!.metadata.name}) sets procMount: Unmasked`]]);
    expect(findings[0]?.evidence).toEqual({ type: 'path', path: 'spec.ephemeralContainers[0].securityContext.procMount', value: 'Unmasked', object: { kind: 'Pod', name: pod0!.metadata.name } });
  });

  it('workload.added-capabilities keeps reporting every add but NET_BIND_SERVICE, with the list index in the path', () => {
    const object = deployment({}, { containers: [container({ securityContext: { ...clean, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN', 'SYS_ADMIN'] } } })] });
    expect(findingsOf('workload.added-capabilities', [object]).map((f) => [f.severity, (f.evidence as { path: string }).path])).toEqual([
      ['high', 'spec.template.spec.containers[0].securityContext.capabilities.add[2]'],
      ['medium', 'spec.template.spec.containers[0].securityContext.capabilities.add[1]'],
    ]);
  });
});
