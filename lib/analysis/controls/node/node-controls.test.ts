import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationResult } from '@/lib/analysis/engine';
import { NODE_REPORT_API_VERSION, type NodeComponent, type NodeFile, type NodeReport } from '@/lib/analysis/snapshot/node-report';
import { snapshotOf } from '@/lib/testing/k8s';
import { CIS_NODE_CONTROLS } from './cis-node-controls';

const NOW = new Date('2026-12-06T12:00:00Z');

type NodeInput = {
  name?: string;
  providerID?: string;
  labels?: Record<string, string>;
  components?: NodeReport['components'];
  files?: NodeFile[];
  encryptionConfig?: NodeReport['encryptionConfig'];
};

function report(input: NodeInput): NodeReport {
  return {
    apiVersion: NODE_REPORT_API_VERSION,
    collectedAt: '2026-12-06T11:00:00.000Z',
    collector: { version: 'test' },
    node: { name: input.name ?? 'node-1', labels: input.labels ?? {}, ...(input.providerID ? { providerID: input.providerID } : {}) },
    components: input.components ?? {},
    files: input.files ?? [],
    ...(input.encryptionConfig ? { encryptionConfig: input.encryptionConfig } : {}),
  };
}

function component(flags: Record<string, string[]>, config?: unknown): NodeComponent {
  return { source: 'static-pod', flags, ...(config === undefined ? {} : { config: { path: '/var/lib/kubelet/config.yaml', content: config } }) };
}

function run(reports: NodeReport[], controlIds?: string[]): EvaluationResult {
  return evaluate(snapshotOf([]), { now: NOW, nodeReports: reports, ...(controlIds ? { controlIds } : {}) });
}

function outcome(result: EvaluationResult, controlId: string) {
  const found = result.controls.find((c) => c.controlId === controlId);
  if (!found) throw new Error(`no outcome for ${controlId}`);
  return found;
}

const findingsOf = (result: EvaluationResult, controlId: string) => result.findings.filter((f) => f.controlId === controlId);

describe('CIS sections 1-4 controls: API server flags', () => {
  it('reports an API server that allows anonymous requests, naming the node, flag and value', () => {
    const result = run([report({ name: 'cp-1', components: { apiserver: component({ 'anonymous-auth': ['true'] }) } })], ['node.apiserver-anonymous-auth']);
    expect(outcome(result, 'node.apiserver-anonymous-auth')).toMatchObject({ status: 'fail', evaluated: 1, findings: 1 });
    const [finding] = findingsOf(result, 'node.apiserver-anonymous-auth');
    expect(finding?.resource).toMatchObject({ kind: 'Node', name: 'cp-1' });
    expect(finding?.message).toContain('kube-apiserver --anonymous-auth = true');
    expect(finding?.evidence).toMatchObject({ type: 'path', path: 'components.apiserver.flags.anonymous-auth', value: 'true' });
  });

  it('passes --anonymous-auth=false, and the last of a flag given twice wins', () => {
    const result = run([report({ components: { apiserver: component({ 'anonymous-auth': ['true', 'false'] }) } })], ['node.apiserver-anonymous-auth']);
    expect(outcome(result, 'node.apiserver-anonymous-auth').status).toBe('pass');
  });

  it('checks list flags by content: AlwaysAllow in --authorization-mode fails, Node,RBAC passes', () => {
    const ids = ['node.apiserver-authorization-mode-not-alwaysallow', 'node.apiserver-authorization-mode-has-rbac'];
    const bad = run([report({ components: { apiserver: component({ 'authorization-mode': ['AlwaysAllow'] }) } })], ids);
    expect(outcome(bad, ids[0] as string).status).toBe('fail');
    expect(outcome(bad, ids[1] as string).status).toBe('fail');
    const good = run([report({ components: { apiserver: component({ 'authorization-mode': ['Node,RBAC'] }) } })], ids);
    expect(good.controls.map((c) => c.status)).toEqual(['pass', 'pass']);
  });

  it('lets an absent flag stand for the safe default where the benchmark does (AlwaysAdmit), and fails it when listed', () => {
    const id = 'node.apiserver-enable-admission-plugins-not-alwaysadmit';
    expect(outcome(run([report({ components: { apiserver: component({}) } })], [id]), id).status).toBe('pass');
    expect(outcome(run([report({ components: { apiserver: component({ 'enable-admission-plugins': ['NodeRestriction,AlwaysAdmit'] }) } })], [id]), id).status).toBe('fail');
  });

  it('compares numbers: --audit-log-maxage 7 fails, 30 passes, a non-number fails', () => {
    const id = 'node.apiserver-audit-log-maxage';
    const status = (value: string) => outcome(run([report({ components: { apiserver: component({ 'audit-log-maxage': [value] }) } })], [id]), id).status;
    expect(status('7')).toBe('fail');
    expect(status('30')).toBe('pass');
    expect(status('thirty')).toBe('fail');
  });

  it('requires both flags of a pair (--tls-cert-file and --tls-private-key-file)', () => {
    const id = 'node.apiserver-tls-cert-file';
    expect(outcome(run([report({ components: { apiserver: component({ 'tls-cert-file': ['/pki/a.crt'] }) } })], [id]), id).status).toBe('fail');
    expect(outcome(run([report({ components: { apiserver: component({ 'tls-cert-file': ['/a.crt'], 'tls-private-key-file': ['/a.key'] }) } })], [id]), id).status).toBe('pass');
  });

  it('accepts only the allowed cipher suites', () => {
    const id = 'node.apiserver-tls-cipher-suites';
    const status = (value: string) => outcome(run([report({ components: { apiserver: component({ 'tls-cipher-suites': [value] }) } })], [id]), id).status;
    expect(status('TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')).toBe('pass');
    expect(status('TLS_AES_128_GCM_SHA256,TLS_RSA_WITH_RC4_128_SHA')).toBe('fail');
  });
});

describe('CIS sections 1-4 controls: kubelet flags and config file', () => {
  it('reads the kubelet config file when no flag is given', () => {
    const id = 'node.kubelet-anonymous-auth';
    const bad = run([report({ components: { kubelet: component({}, { authentication: { anonymous: { enabled: true } } }) } })], [id]);
    expect(outcome(bad, id).status).toBe('fail');
    expect(findingsOf(bad, id)[0]?.evidence).toMatchObject({ path: 'components.kubelet.config.content.authentication.anonymous.enabled', value: 'true' });
    const good = run([report({ components: { kubelet: component({}, { authentication: { anonymous: { enabled: false } } }) } })], [id]);
    expect(outcome(good, id).status).toBe('pass');
  });

  it('lets a command-line flag override the config file (the kubelet applies flags last)', () => {
    const id = 'node.kubelet-anonymous-auth';
    const overridden = run([report({ components: { kubelet: component({ 'anonymous-auth': ['true'] }, { authentication: { anonymous: { enabled: false } } }) } })], [id]);
    expect(outcome(overridden, id).status).toBe('fail');
  });

  it('reads a feature gate from --feature-gates or featureGates', () => {
    const id = 'node.kubelet-rotatekubeletservercertificate';
    expect(outcome(run([report({ components: { kubelet: component({ 'feature-gates': ['RotateKubeletServerCertificate=false'] }) } })], [id]), id).status).toBe('fail');
    expect(outcome(run([report({ components: { kubelet: component({}, { featureGates: { RotateKubeletServerCertificate: false } }) } })], [id]), id).status).toBe('fail');
    expect(outcome(run([report({ components: { kubelet: component({}, {}) } })], [id]), id).status).toBe('pass');
  });

  it('joins a list field of the config file (tlsCipherSuites) before comparing', () => {
    const id = 'node.kubelet-tls-cipher-suites';
    const status = (suites: string[]) => outcome(run([report({ components: { kubelet: component({}, { tlsCipherSuites: suites }) } })], [id]), id).status;
    expect(status(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'])).toBe('pass');
    expect(status(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'])).toBe('fail');
  });
});

describe('CIS sections 1-4 controls: files', () => {
  const file = (path: string, role: string, mode: number, extra: Partial<NodeFile> = {}): NodeFile => ({ path, role, exists: true, mode, uid: 0, gid: 0, ...extra });

  it('reports a file looser than its maximum mode, with the path and the mode seen', () => {
    const id = 'node.file-kubelet-config-mode-600';
    const result = run([report({ name: 'w-1', components: { kubelet: component({}) }, files: [file('/var/lib/kubelet/config.yaml', 'kubelet-config', 0o644)] })], [id]);
    expect(outcome(result, id).status).toBe('fail');
    expect(findingsOf(result, id)[0]?.message).toBe('node w-1: /var/lib/kubelet/config.yaml has mode 644 (at most 600 expected)');
    const good = run([report({ files: [file('/var/lib/kubelet/config.yaml', 'kubelet-config', 0o600)] })], [id]);
    expect(outcome(good, id).status).toBe('pass');
  });

  it('passes a stricter mode and ignores a file that does not exist', () => {
    const id = 'node.file-kubelet-config-mode-600';
    expect(outcome(run([report({ files: [file('/var/lib/kubelet/config.yaml', 'kubelet-config', 0o400)] })], [id]), id).status).toBe('pass');
    const missing = run([report({ files: [{ path: '/var/lib/kubelet/config.yaml', role: 'kubelet-config', exists: false }, file('/x', 'kubelet-kubeconfig', 0o600)] })], [id]);
    expect(outcome(missing, id).status).toBe('not_applicable');
  });

  it('checks ownership by name, and reads uid/gid 0 as root when the collector could not name them', () => {
    const id = 'node.file-kubelet-kubeconfig-owner-root';
    expect(outcome(run([report({ files: [file('/etc/kubernetes/kubelet.conf', 'kubelet-kubeconfig', 0o600)] })], [id]), id).status).toBe('pass');
    const bad = run([report({ files: [file('/etc/kubernetes/kubelet.conf', 'kubelet-kubeconfig', 0o600, { uid: 1000, user: 'ubuntu', group: 'root' })] })], [id]);
    expect(findingsOf(bad, id)[0]?.message).toContain('is owned by ubuntu:root (root:root expected)');
  });

  it('wants the etcd data directory owned by etcd:etcd', () => {
    const id = 'node.file-etcd-data-dir-owner-etcd';
    const cp = { apiserver: component({}) };
    const named = (user: string) => run([report({ components: cp, files: [file('/var/lib/etcd', 'etcd-data-dir', 0o700, { user, group: user })] })], [id]);
    expect(outcome(named('etcd'), id).status).toBe('pass');
    expect(outcome(named('root'), id).status).toBe('fail');
  });

  it('runs control-plane file audits on control-plane nodes only (CNI files of a worker are not section 1)', () => {
    const id = 'node.file-cni-config-mode-600';
    const cni = file('/etc/cni/net.d/10-calico.conflist', 'cni-config', 0o644);
    expect(outcome(run([report({ components: { kubelet: component({}) }, files: [cni] })], [id]), id).status).toBe('not_applicable');
    expect(outcome(run([report({ components: { apiserver: component({}) }, files: [cni] })], [id]), id).status).toBe('fail');
  });
});

describe('CIS sections 1-4 controls: encryption at rest', () => {
  const id = 'node.apiserver-encryption-providers';
  const config = (first: string): NodeReport['encryptionConfig'] => ({
    path: '/etc/kubernetes/enc.yaml',
    readable: true,
    resources: [{ resources: ['secrets'], providers: [{ name: first }, { name: 'identity' }] }],
  });

  it('fails without --encryption-provider-config, passes aescbc or kms first, fails identity first', () => {
    expect(outcome(run([report({ components: { apiserver: component({}) } })], [id]), id).status).toBe('fail');
    const withConfig = (first: string) => run([report({ components: { apiserver: component({ 'encryption-provider-config': ['/etc/kubernetes/enc.yaml'] }) }, encryptionConfig: config(first) })], [id]);
    expect(outcome(withConfig('aescbc'), id).status).toBe('pass');
    expect(outcome(withConfig('kms'), id).status).toBe('pass');
    expect(findingsOf(withConfig('identity'), id)[0]?.message).toContain('Secrets are written with the identity provider first');
  });
});

describe('CIS sections 1-4 controls: nodes, managed clusters', () => {
  it('is not applicable without node reports, saying how to get them', () => {
    const result = run([]);
    const node = result.controls.filter((c) => c.controlId.startsWith('node.'));
    expect(node).toHaveLength(CIS_NODE_CONTROLS.length);
    expect(new Set(node.map((c) => c.status))).toEqual(new Set(['not_applicable']));
    expect(node[0]?.reason).toContain('node collector');
  });

  it.each([
    ['EKS', { providerID: 'aws:///eu-west-1a/i-0abc' }, 'Amazon EKS'],
    ['GKE', { labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } }, 'Google GKE'],
    ['AKS', { providerID: 'azure:///subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachineScaleSets/z/virtualMachines/0' }, 'Azure AKS'],
  ])('marks control-plane items the provider\'s responsibility on %s, and still judges the worker', (_name, identity, providerName) => {
    const worker = report({ ...identity, components: { kubelet: component({ 'anonymous-auth': ['true'] }) } });
    const result = run([worker]);
    const apiserver = outcome(result, 'node.apiserver-anonymous-auth');
    expect(apiserver).toMatchObject({ status: 'provider_responsibility', findings: 0 });
    expect(apiserver.reason).toContain(providerName);
    expect(outcome(result, 'node.etcd-client-cert-auth').status).toBe('provider_responsibility');
    expect(outcome(result, 'node.kubelet-anonymous-auth').status).toBe('fail');
    const cis = result.requirements.filter((r) => r.frameworkId === 'cis-k8s-1.9');
    expect(cis.find((r) => r.requirementId === '1.2.1')?.status).toBe('provider_responsibility');
    expect(cis.find((r) => r.requirementId === '2.2')?.status).toBe('provider_responsibility');
    expect(cis.find((r) => r.requirementId === '4.2.1')?.status).toBe('fail');
    const score = result.scores.find((s) => s.frameworkId === 'cis-k8s-1.9');
    expect(score?.providerResponsibility).toBeGreaterThan(50);
  });

  it('keeps a self-managed control plane on cloud VMs the customer\'s (kubeadm on EC2)', () => {
    const cp = report({ name: 'cp', providerID: 'aws:///eu-west-1a/i-1', components: { apiserver: component({ 'anonymous-auth': ['true'] }) } });
    expect(outcome(run([cp], ['node.apiserver-anonymous-auth']), 'node.apiserver-anonymous-auth').status).toBe('fail');
  });

  it('counts only the nodes that run the component as evaluated', () => {
    const result = run([
      report({ name: 'cp', components: { apiserver: component({ 'anonymous-auth': ['false'] }), kubelet: component({}) } }),
      report({ name: 'w', components: { kubelet: component({}) } }),
    ], ['node.apiserver-anonymous-auth', 'node.kubelet-hostname-override']);
    expect(outcome(result, 'node.apiserver-anonymous-auth')).toMatchObject({ status: 'pass', evaluated: 1 });
    expect(outcome(result, 'node.kubelet-hostname-override')).toMatchObject({ status: 'pass', evaluated: 2 });
  });
});

describe('CIS sections 1-4 catalog entries', () => {
  it('gives every generated control its own id, title, evidence source and ISO 27001 mapping', () => {
    const ids = CIS_NODE_CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const control of CIS_NODE_CONTROLS) {
      expect(control.id).toMatch(/^node\.[a-z0-9-]+$/);
      expect(control.title.length).toBeGreaterThan(10);
      expect(control.mappings.iso27001.length, control.id).toBeGreaterThan(0);
      for (const iso of control.mappings.iso27001) expect(iso).toMatch(/^A\.[5-8]\.\d+$/);
    }
  });
});
