import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluateOptions } from '@/lib/analysis/engine';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, cronJob, deployment, namespace, networkPolicy, pod, serviceAccount, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');

/** Findings of one control for a set of objects (with the namespace, policy and ServiceAccount a clean pod needs). */
function findingsOf(controlId: string, objects: KubeObject[], options: Partial<EvaluateOptions> = {}) {
  const result = evaluate(snapshotOf([namespace('team-a'), networkPolicy(), serviceAccount(), ...objects]), { now: NOW, controlIds: [controlId], ...options });
  return result.findings;
}

const withContainer = (overrides: Record<string, unknown>) => deployment({}, { containers: [container(overrides)] });
const withSecurity = (securityContext: Record<string, unknown>) =>
  withContainer({ securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, ...securityContext } });

/** One failing and one passing object per workload control. */
const CASES: { control: string; failing: KubeObject; passing: KubeObject; message: RegExp }[] = [
  { control: 'workload.privileged-container', failing: withSecurity({ privileged: true }), passing: withSecurity({ privileged: false }), message: /container "app" runs privileged/ },
  { control: 'workload.host-pid', failing: deployment({}, { hostPID: true }), passing: deployment(), message: /process namespace/ },
  { control: 'workload.host-ipc', failing: deployment({}, { hostIPC: true }), passing: deployment(), message: /IPC namespace/ },
  { control: 'workload.host-network', failing: deployment({}, { hostNetwork: true }), passing: deployment(), message: /network namespace/ },
  { control: 'workload.allow-privilege-escalation', failing: withSecurity({ allowPrivilegeEscalation: undefined }), passing: withSecurity({}), message: /defaults to true/ },
  { control: 'workload.run-as-root', failing: withSecurity({ runAsUser: 0 }), passing: withSecurity({ runAsUser: 1000 }), message: /UID 0/ },
  { control: 'workload.net-raw-capability', failing: withSecurity({ capabilities: { drop: ['CHOWN'] } }), passing: withSecurity({ capabilities: { drop: ['NET_RAW'] } }), message: /NET_RAW/ },
  { control: 'workload.added-capabilities', failing: withSecurity({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }), passing: withSecurity({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), message: /adds capability SYS_ADMIN/ },
  { control: 'workload.capabilities-not-dropped', failing: withSecurity({ capabilities: { drop: ['NET_RAW'] } }), passing: withSecurity({ capabilities: { drop: ['all'] } }), message: /does not drop ALL/ },
  { control: 'workload.windows-host-process', failing: deployment({}, { securityContext: { windowsOptions: { hostProcess: true } } }), passing: deployment(), message: /HostProcess container \(set on the pod\)/ },
  { control: 'workload.host-path-volume', failing: deployment({}, { volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }] }), passing: deployment({}, { volumes: [{ name: 'tmp', emptyDir: {} }] }), message: /host path \/var\/run\/docker.sock/ },
  { control: 'workload.host-port', failing: withContainer({ ports: [{ containerPort: 80, hostPort: 8080 }] }), passing: withContainer({ ports: [{ containerPort: 80 }] }), message: /host port 8080/ },
  { control: 'workload.seccomp-profile', failing: deployment({}, { securityContext: { runAsNonRoot: true } }), passing: deployment(), message: /no seccomp profile/ },
  { control: 'workload.read-only-root-filesystem', failing: withSecurity({ readOnlyRootFilesystem: false }), passing: withSecurity({}), message: /writable root file system/ },
  { control: 'workload.proc-mount', failing: withSecurity({ procMount: 'Unmasked' }), passing: withSecurity({ procMount: 'Default' }), message: /procMount: Unmasked/ },
  { control: 'workload.cpu-limits', failing: withContainer({ resources: { limits: { memory: '1Gi' } } }), passing: withContainer({}), message: /no CPU limit/ },
  { control: 'workload.memory-limits', failing: withContainer({ resources: { limits: { cpu: '1' } } }), passing: withContainer({}), message: /no memory limit/ },
  { control: 'workload.image-mutable-tag', failing: withContainer({ image: 'nginx:latest' }), passing: withContainer({ image: 'nginx:1.27.0' }), message: /mutable tag latest/ },
  { control: 'workload.image-not-pinned', failing: withContainer({ image: 'nginx:1.27.0' }), passing: withContainer({}), message: /without a digest/ },
  { control: 'workload.secret-env-var', failing: withContainer({ envFrom: [{ secretRef: { name: 'db' } }] }), passing: withContainer({ envFrom: [{ configMapRef: { name: 'cfg' } }] }), message: /every key of Secret db/ },
  { control: 'workload.default-service-account', failing: deployment({}, { serviceAccountName: 'default' }), passing: deployment(), message: /default ServiceAccount/ },
  { control: 'workload.service-account-token-automount', failing: deployment({}, { automountServiceAccountToken: true }), passing: deployment(), message: /automountServiceAccountToken: true/ },
  { control: 'workload.missing-service-account', failing: deployment({}, { serviceAccountName: 'ghost' }), passing: deployment(), message: /ServiceAccount team-a\/ghost, which does not exist/ },
  { control: 'workload.default-namespace', failing: deployment({ namespace: 'default' }), passing: deployment(), message: /runs in the default namespace/ },
  { control: 'workload.network-isolation', failing: deployment({ namespace: 'open' }), passing: deployment(), message: /no NetworkPolicy for Ingress or Egress/ },
];

describe('workload controls', () => {
  for (const { control, failing, passing, message } of CASES) {
    describe(control, () => {
      it('reports the misconfigured workload', () => {
        const findings = findingsOf(control, [failing]);
        expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(message)]);
        expect(findings[0]?.resource).toMatchObject({ kind: 'Deployment', name: 'app' });
      });
      it('passes the fixed workload', () => {
        expect(findingsOf(control, [passing])).toEqual([]);
      });
    });
  }

  it('checks init containers and ephemeral containers, not only containers', () => {
    const p = pod({}, {
      initContainers: [container({ name: 'migrate', securityContext: { privileged: true } })],
      ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext: { privileged: true } }],
    });
    const messages = findingsOf('workload.privileged-container', [p]).map((f) => f.message);
    expect(messages).toEqual(['init container "migrate" runs privileged', 'ephemeral container "debugger" runs privileged']);
  });

  it('reads the pod spec of a CronJob under its job template', () => {
    const findings = findingsOf('workload.host-network', [cronJob({}, { hostNetwork: true })]);
    expect(findings[0]?.evidence).toEqual({ type: 'path', path: 'spec.jobTemplate.spec.template.spec.hostNetwork', value: true });
  });

  it('lets the container runAsNonRoot override the pod level, both ways', () => {
    const podTrueContainerFalse = deployment({ name: 'a' }, { securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: { runAsNonRoot: false } })] });
    const podFalseContainerTrue = deployment({ name: 'b' }, { securityContext: { runAsNonRoot: false }, containers: [container({ securityContext: { runAsNonRoot: true } })] });
    const findings = findingsOf('workload.run-as-root', [podTrueContainerFalse, podFalseContainerTrue]);
    expect(findings.map((f) => f.resource.name)).toEqual(['a']);
    expect(findings[0]?.evidence).toMatchObject({ path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot', value: false });
  });

  it('takes a pod-level seccomp profile for containers that set none, and a container Unconfined over it', () => {
    const inherits = deployment({ name: 'inherits' }, { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } });
    const overrides = deployment({ name: 'overrides' }, { containers: [container({ securityContext: { seccompProfile: { type: 'Unconfined' } } })] });
    expect(findingsOf('workload.seccomp-profile', [inherits, overrides]).map((f) => f.message)).toEqual(['container "app" uses seccomp profile Unconfined']);
  });

  it('lets the pod automountServiceAccountToken override its ServiceAccount', () => {
    const saOff = serviceAccount({ name: 'quiet' }, { automountServiceAccountToken: false });
    const inherits = deployment({ name: 'inherits' }, { serviceAccountName: 'quiet', automountServiceAccountToken: undefined });
    const overrides = deployment({ name: 'overrides' }, { serviceAccountName: 'quiet', automountServiceAccountToken: true });
    expect(findingsOf('workload.service-account-token-automount', [saOff, inherits, overrides]).map((f) => f.resource.name)).toEqual(['overrides']);
  });

  it('flags credentials in plain env vars without ever printing the value', () => {
    const redacted = { redacted: true, sha256Prefix: 'deadbeef', length: 24, reason: 'aws-access-key' };
    const d = withContainer({ env: [{ name: 'AWS_KEY', value: redacted }, { name: 'DB_PASSWORD', value: 'hunter2-plain' }, { name: 'TOKEN_PATH', value: '/var/run/token' }, { name: 'GREETING', value: 'hello' }] });
    const findings = findingsOf('workload.credential-in-env', [d]);
    expect(findings.map((f) => f.message)).toEqual([
      'container "app" has a credential in plain env var AWS_KEY (redacted by the agent: aws-access-key)',
      'container "app" has a credential in plain env var DB_PASSWORD (the name says it is a credential)',
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/hunter2|deadbeef/);
  });

  it('reports Secret keys read into env vars', () => {
    const d = withContainer({ env: [{ name: 'DB_PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] });
    expect(findingsOf('workload.secret-env-var', [d]).map((f) => f.message)).toEqual(['container "app" reads Secret key db/password into env var DB_PASS']);
  });

  it('checks images against the allowed registries only when a list is configured', () => {
    const d = withContainer({ image: 'docker.io/library/nginx:1.27.0' });
    const notConfigured = evaluate(snapshotOf([d]), { now: NOW, controlIds: ['workload.image-registry'] });
    expect(notConfigured.controls[0]).toMatchObject({ status: 'not_applicable', reason: 'no allowed registries are configured' });
    expect(findingsOf('workload.image-registry', [d], { allowedRegistries: ['ghcr.io/acme'] })).toHaveLength(1);
    expect(findingsOf('workload.image-registry', [d], { allowedRegistries: ['docker.io/library'] })).toEqual([]);
    expect(findingsOf('workload.image-registry', [withContainer({ image: 'ghcr.io/acme-evil/app:1' })], { allowedRegistries: ['ghcr.io/acme'] })).toHaveLength(1);
  });

  it('rates a hostPath critical by its path with trailing slashes removed, and an allowed registry the same way', () => {
    const mounting = (path: string) => deployment({}, { volumes: [{ name: 'v', hostPath: { path } }] });
    expect(findingsOf('workload.host-path-volume', [mounting('/etc///')])[0]?.severity).toBe('critical');
    expect(findingsOf('workload.host-path-volume', [mounting('///')])[0]?.severity).toBe('critical');
    expect(findingsOf('workload.host-path-volume', [mounting('/data/cache/')])[0]?.severity).toBe('high');
    expect(findingsOf('workload.image-registry', [withContainer({ image: 'ghcr.io/acme/app:1' })], { allowedRegistries: ['ghcr.io/acme//'] })).toEqual([]);
  });

  it('treats dropping every default capability one by one like drop ALL', () => {
    const defaults = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];
    expect(findingsOf('workload.capabilities-not-dropped', [withSecurity({ capabilities: { drop: defaults.map((c) => c.toLowerCase()) } })])).toEqual([]);
  });
});
