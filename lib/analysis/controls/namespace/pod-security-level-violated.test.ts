import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, deployment, deploymentWithPods, namespace, pod, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');
const ID = 'namespace.pod-security-level-violated';
const findingsOf = (objects: KubeObject[]) => evaluate(snapshotOf(objects), { now: NOW, controlIds: [ID] }).findings;
/** The path evidence's value, in the shape the test reads. */
const valueOf = <T,>(finding: { evidence: unknown } | undefined) => (finding?.evidence as { value: T }).value;

const enforce = (level: string, extra: Record<string, string> = {}) => namespace('payments', { 'pod-security.kubernetes.io/enforce': level, ...extra });
const clean = container().securityContext as Record<string, unknown>;
const inPayments = (name: string, spec: Record<string, unknown> = {}) => deployment({ name, namespace: 'payments' }, spec);

describe(ID, () => {
  it('lists the running workloads that break the enforced level, with their fields, and shows audit and warn', () => {
    const findings = findingsOf([
      enforce('baseline', { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }),
      inPayments('api', { hostNetwork: true }),
      inPayments('worker', { volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] }),
      inPayments('batch', { containers: [container({ securityContext: { ...clean, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } })] }),
      // Breaks restricted only (no runAsNonRoot), which baseline allows.
      inPayments('web', { securityContext: {}, containers: [container({ securityContext: {} })] }),
      deployment({ name: 'elsewhere', namespace: 'team-a' }, { hostPID: true }),
    ]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.resource).toMatchObject({ kind: 'Namespace', name: 'payments' });
    expect(finding?.severity).toBe('high');
    expect(finding?.message).toBe(
      'namespace payments enforces baseline (audit: restricted, warn: restricted); 3 workloads running there violate it: Deployment payments/api, Deployment payments/worker, Deployment payments/batch',
    );
    expect(finding?.evidence).toEqual({
      type: 'path',
      path: 'metadata.labels["pod-security.kubernetes.io/enforce"]',
      value: {
        enforce: 'baseline',
        enforceVersion: 'latest',
        audit: 'restricted',
        warn: 'restricted',
        violatingWorkloads: 3,
        workloads: [
          { workload: 'Deployment payments/api', fields: [{ path: 'spec.template.spec.hostNetwork', level: 'baseline', message: "the pod shares the node's network namespace" }] },
          { workload: 'Deployment payments/worker', fields: [{ path: 'spec.template.spec.volumes[0].hostPath', level: 'baseline', message: 'volume "logs" mounts host path /var/log' }] },
          {
            workload: 'Deployment payments/batch',
            fields: [{ path: 'spec.template.spec.containers[0].securityContext.capabilities.add[0]', level: 'baseline', message: 'container "app" adds capability SYS_ADMIN' }],
          },
        ],
      },
    });
  });

  it('judges restricted namespaces on every row, and is medium when nothing breaks baseline', () => {
    const findings = findingsOf([enforce('restricted'), inPayments('web', { securityContext: {}, containers: [container({ securityContext: {} })] })]);
    expect(findings.map((f) => [f.severity, f.message])).toEqual([['medium', 'namespace payments enforces restricted; 1 workload running there violates it: Deployment payments/web']]);
    const fields = valueOf<{ workloads: { fields: { path: string; level: string }[] }[] }>(findings[0]).workloads[0]?.fields;
    const at = 'spec.template.spec.containers[0].securityContext';
    expect(fields?.map((f) => [f.path, f.level])).toEqual([
      [`${at}.allowPrivilegeEscalation`, 'restricted'],
      [`${at}.runAsNonRoot`, 'restricted'],
      [`${at}.seccompProfile.type`, 'restricted'],
      [`${at}.capabilities.drop`, 'restricted'],
    ]);
  });

  it('passes when every running workload meets the level, and says nothing where no level is enforced', () => {
    expect(findingsOf([enforce('restricted'), inPayments('api')])).toEqual([]);
    expect(findingsOf([enforce('privileged'), inPayments('api', { hostNetwork: true })])).toEqual([]);
    expect(findingsOf([namespace('payments', {}), inPayments('api', { hostNetwork: true })])).toEqual([]);
    // Workloads whose namespace object was not in the input: its labels are unknown.
    expect(findingsOf([inPayments('api', { hostNetwork: true })])).toEqual([]);
  });

  it('reads the enforce-version label: a sysctl safe only from 1.29 breaks a namespace pinned to v1.28', () => {
    const sysctl = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }] } };
    expect(findingsOf([enforce('baseline', { 'pod-security.kubernetes.io/enforce-version': 'v1.29' }), inPayments('api', sysctl)])).toEqual([]);
    const findings = findingsOf([enforce('baseline', { 'pod-security.kubernetes.io/enforce-version': 'v1.28' }), inPayments('api', sysctl)]);
    expect(findings.map((f) => f.message)).toEqual(['namespace payments enforces baseline at v1.28; 1 workload running there violates it: Deployment payments/api']);
  });

  it('counts an ephemeral container added with kubectl debug to a Pod of a clean Deployment', () => {
    const [d, rs, pod0, pod1] = deploymentWithPods({ name: 'api', namespace: 'payments' });
    (pod0!.spec as Record<string, unknown>).ephemeralContainers = [container({ name: 'debugger', securityContext: { privileged: true } })];
    const findings = findingsOf([enforce('baseline'), d!, rs!, pod0!, pod1!]);
    const value = valueOf<{ workloads: unknown[] }>(findings[0]);
    expect(value.workloads).toEqual([
      {
        workload: 'Deployment payments/api',
        fields: [{ path: 'spec.ephemeralContainers[0].securityContext.privileged', level: 'baseline', message: `ephemeral container "debugger" (on Pod ${pod0!.metadata.name}) runs privileged` }],
      },
    ]);
  });

  it('keeps its evidence bounded in a namespace with many violating workloads, with exact counts', () => {
    const many = Array.from({ length: 30 }, (_, i) => pod({ name: `p${i}`, namespace: 'payments' }, { hostPID: true, hostIPC: true, hostNetwork: true }));
    const [finding] = findingsOf([enforce('baseline'), ...many]);
    const value = valueOf<{ violatingWorkloads: number; notListed: number; workloads: { fields: unknown[]; moreFields?: number }[] }>(finding);
    expect(value.violatingWorkloads).toBe(30);
    expect(value.workloads[0]?.fields).toHaveLength(3);
    expect(value.workloads).toHaveLength(25);
    expect(value.notListed).toBe(5);
    expect(finding?.message).toMatch(/30 workloads running there violate it: Pod payments\/p0, Pod payments\/p1, Pod payments\/p2, …$/);

    const crowded = pod({ name: 'crowded', namespace: 'payments' }, { containers: Array.from({ length: 10 }, (_, i) => container({ name: `c${i}`, securityContext: { privileged: true } })) });
    const [one] = findingsOf([enforce('baseline'), crowded]);
    const [listed] = valueOf<{ workloads: { fields: unknown[]; moreFields?: number }[] }>(one).workloads;
    expect([listed?.fields.length, listed?.moreFields]).toEqual([8, 2]);
  });
});
