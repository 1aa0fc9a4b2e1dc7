import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeReportSchema, type NodeReport } from '@/lib/analysis/snapshot/node-report';
import { findNodeReportCredentials } from '@/lib/analysis/snapshot/node-report-redact';
import { NODE_FIXTURES, canChown, expectedReportPath, materializeNodeFixture, type MaterializedNode, type NodeFixtureName } from '../test/node-fixture-roots';
import { collectNodeReport, parseFlags } from './node-collect';
import { main } from './cli';

const NOW = new Date('2026-12-01T10:00:00Z');
let materialized: MaterializedNode[] = [];
afterEach(async () => {
  await Promise.all(materialized.map((m) => m.cleanup()));
  materialized = [];
});

async function fixture(name: NodeFixtureName): Promise<MaterializedNode> {
  const node = await materializeNodeFixture(name);
  materialized.push(node);
  return node;
}

/** Owners only compare when the fixture could set them (root); modes always. */
function comparable(report: NodeReport): NodeReport {
  if (canChown()) return report;
  return { ...report, files: report.files.map(({ uid: _u, gid: _g, user: _us, group: _gr, ...file }) => file) };
}

const file = (report: NodeReport, filePath: string) => report.files.find((f) => f.path === filePath);

describe('the node collector against the shipped fixtures', () => {
  it.each(NODE_FIXTURES)('%s: the committed report.json (UPDATE_NODE_FIXTURES=1 rewrites it)', async (name) => {
    const node = await fixture(name);
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, env: {}, now: () => NOW });
    expect(nodeReportSchema.parse(report)).toEqual(report);
    const json = JSON.stringify(report);
    // Keys, certificates, kubeconfigs and etcd data are never read: their planted content never appears.
    expect(json).not.toMatch(/PLANTED|BEGIN RSA|UExBTlRFRC/);
    expect(findNodeReportCredentials(report)).toEqual([]);
    if (process.env.UPDATE_NODE_FIXTURES === '1' || !existsSync(expectedReportPath(name))) {
      writeFileSync(expectedReportPath(name), `${JSON.stringify(report, null, 2)}\n`);
    }
    expect(comparable(report)).toEqual(comparable(JSON.parse(readFileSync(expectedReportPath(name), 'utf8')) as NodeReport));
  });

  it('kubeadm defaults: the four static pods, their flags, and the modes kubeadm leaves', async () => {
    const node = await fixture('kubeadm-control-plane');
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, env: {}, now: () => NOW });
    expect(report.node).toEqual({ name: 'cp-1', labels: {} });
    expect(Object.keys(report.components).sort()).toEqual(['apiserver', 'controllerManager', 'etcd', 'kubelet', 'proxy', 'scheduler']);
    expect(report.components.apiserver).toMatchObject({ source: 'static-pod', path: '/etc/kubernetes/manifests/kube-apiserver.yaml' });
    expect(report.components.apiserver?.flags['authorization-mode']).toEqual(['Node,RBAC']);
    expect(report.components.apiserver?.flags['etcd-keyfile']).toEqual(['/etc/kubernetes/pki/apiserver-etcd-client.key']);
    expect(report.components.apiserver?.flags['anonymous-auth']).toBeUndefined();
    expect(report.components.kubelet).toMatchObject({ source: 'process', path: '/usr/bin/kubelet', config: { path: '/var/lib/kubelet/config.yaml' } });
    expect((report.components.kubelet?.config?.content as { authentication: unknown }).authentication).toMatchObject({ anonymous: { enabled: false } });
    // kube-proxy's config lives in its pod, not on the host: its flags only.
    expect(report.components.proxy).toEqual({ source: 'process', path: '/usr/local/bin/kube-proxy', flags: { config: ['/var/lib/kube-proxy/config.conf'], 'hostname-override': ['cp-1'] } });
    expect(file(report, '/etc/kubernetes/manifests/kube-apiserver.yaml')).toMatchObject({ role: 'apiserver-manifest', exists: true, kind: 'file', mode: 0o600 });
    expect(file(report, '/var/lib/kubelet/config.yaml')).toMatchObject({ role: 'kubelet-config', mode: 0o644 });
    expect(file(report, '/etc/kubernetes/pki/apiserver.crt')).toMatchObject({ role: 'pki-cert', mode: 0o644 });
    expect(file(report, '/etc/kubernetes/pki/etcd/server.key')).toMatchObject({ role: 'pki-key', mode: 0o600 });
    expect(file(report, '/var/lib/etcd')).toMatchObject({ role: 'etcd-data-dir', kind: 'directory', mode: 0o700 });
    expect(file(report, '/etc/kubernetes/admin.conf')).toMatchObject({ role: 'admin-kubeconfig', mode: 0o600 });
    expect(file(report, '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf')).toMatchObject({ role: 'kubelet-service', mode: 0o644 });
    expect(file(report, '/etc/kubernetes/pki/ca.crt')).toMatchObject({ role: 'client-ca' });
    expect(file(report, '/var/lib/kube-proxy/config.conf')).toBeUndefined();
    expect(report.auditPolicy).toBeUndefined();
    expect(report.encryptionConfig).toBeUndefined();
    if (canChown()) expect(file(report, '/var/lib/etcd')).toMatchObject({ uid: 0, gid: 0, user: 'root', group: 'root' });
  });

  it('hardened: audit policy structure, encryption providers in order with the key as a marker, etcd owned by etcd', async () => {
    const node = await fixture('hardened-control-plane');
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, env: {}, now: () => NOW });
    expect(report.auditPolicy).toMatchObject({ path: '/etc/kubernetes/audit/policy.yaml', readable: true, omitStages: ['RequestReceived'] });
    expect(report.auditPolicy?.rules.map((rule) => rule.level)).toEqual(['Metadata', 'None', 'RequestResponse', 'Metadata']);
    expect(report.encryptionConfig?.resources).toEqual([
      {
        resources: ['secrets', 'configmaps'],
        providers: [{ name: 'aescbc', keys: [{ name: 'key1', secret: expect.stringMatching(/^bulwark-redacted:secret-data:[0-9a-f]{8}:48$/) }] }, { name: 'identity' }],
      },
    ]);
    expect(report.components.apiserver?.flags['profiling']).toEqual(['false']);
    expect(file(report, '/etc/kubernetes/pki/apiserver.crt')).toMatchObject({ mode: 0o600 });
    expect(file(report, '/etc/kubernetes/enc/encryption-config.yaml')).toMatchObject({ role: 'encryption-config', mode: 0o600 });
    if (canChown()) expect(file(report, '/var/lib/etcd')).toMatchObject({ uid: 998, user: 'etcd', group: 'etcd', mode: 0o700 });
  });

  it('a kubeadm worker: kubelet and kube-proxy only, no control-plane files', async () => {
    const node = await fixture('kubeadm-worker');
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, env: {}, now: () => NOW });
    expect(Object.keys(report.components).sort()).toEqual(['kubelet', 'proxy']);
    expect(report.files.some((f) => f.role === 'admin-kubeconfig' || f.role === 'apiserver-manifest' || f.role === 'pki-key')).toBe(false);
    expect(file(report, '/etc/kubernetes/kubelet.conf')).toMatchObject({ role: 'kubelet-kubeconfig', exists: true, mode: 0o600 });
  });

  it('an EKS worker: providerID and labels from the kubelet, its config from kubelet-config.json, space-separated flags', async () => {
    const node = await fixture('eks-worker');
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, env: {}, now: () => NOW });
    expect(report.node).toMatchObject({
      name: 'ip-192-168-12-34.us-west-2.compute.internal',
      providerID: 'aws:///us-west-2a/i-0123456789abcdef0',
      labels: { 'eks.amazonaws.com/nodegroup': 'ng-general', 'eks.amazonaws.com/capacityType': 'ON_DEMAND' },
    });
    expect(report.components.kubelet?.flags.kubeconfig).toEqual(['/var/lib/kubelet/kubeconfig']);
    expect(report.components.kubelet?.config).toMatchObject({ path: '/etc/kubernetes/kubelet/kubelet-config.json', content: { readOnlyPort: 0 } });
    expect(Object.keys(report.components).sort()).toEqual(['kubelet', 'proxy']);
    expect(file(report, '/etc/systemd/system/kubelet.service')).toMatchObject({ role: 'kubelet-service', mode: 0o644 });
    expect(file(report, '/var/lib/kubelet/kubeconfig')).toMatchObject({ role: 'kubelet-kubeconfig', mode: 0o644 });
  });

  it('redacts credential-like flags and config values with the agent\'s detectors; the node name can be given', async () => {
    const node = await fixture('kubeadm-worker');
    await mkdir(path.join(node.procRoot, '9000'), { recursive: true });
    // A hand-run kube-proxy given a token on its command line (a real mistake): the value never leaves the node.
    await writeFile(path.join(node.procRoot, '9000', 'cmdline'), ['/opt/bin/kube-proxy', '--token=hunter2hunter2', '--master', 'https://10.0.0.10:6443', '--kubeconfig=/etc/kube-proxy.conf', '--bearer', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'].join('\0'));
    await writeFile(path.join(node.procRoot, '2231', 'cmdline'), 'x\0');
    const config = readFileSync(path.join(node.hostRoot, 'var/lib/kubelet/config.yaml'), 'utf8');
    await writeFile(path.join(node.hostRoot, 'var/lib/kubelet/config.yaml'), `${config}staticPodURLHeader:\n  Authorization:\n  - Bearer s3cr3t-value-of-the-header\n`);
    const report = await collectNodeReport({ hostRoot: node.hostRoot, procRoot: node.procRoot, nodeName: 'given', env: { NODE_NAME: 'from-env' }, now: () => NOW });
    expect(report.node.name).toBe('given');
    const proxy = report.components.proxy?.flags ?? {};
    expect(proxy.token).toEqual([expect.stringMatching(/^bulwark-redacted:sensitive-name:/)]);
    expect(proxy.bearer).toEqual([expect.stringMatching(/^bulwark-redacted:known-token-format:/)]);
    expect(proxy.master).toEqual(['https://10.0.0.10:6443']);
    expect(proxy.kubeconfig).toEqual(['/etc/kube-proxy.conf']);
    const header = (report.components.kubelet?.config?.content as { staticPodURLHeader: { Authorization: string[] } }).staticPodURLHeader.Authorization;
    expect(header).toEqual([expect.stringMatching(/^bulwark-redacted:sensitive-name:/)]);
    expect(JSON.stringify(report)).not.toMatch(/hunter2|ghp_0123|s3cr3t/);
    expect(findNodeReportCredentials(report)).toEqual([]);
  });

  it('parses flags as pflag does', () => {
    expect(parseFlags(['--a=1', '--b', 'two', '--c', '--d=x=y', 'positional', '-v=2', '--a=3'])).toEqual({ a: ['1', '3'], b: ['two'], c: ['true'], d: ['x=y'], v: ['2'] });
  });

  it('through the CLI: `agent node --host-root --proc-root --out` writes the report; a missing root is a usage error', async () => {
    const node = await fixture('eks-worker');
    const out = path.join(node.dir, 'report.json');
    const stderr: string[] = [];
    const io = { stdout: async () => {}, stderr: (text: string) => void stderr.push(text), env: {} };
    expect(await main(['node', '--host-root', node.hostRoot, '--proc-root', node.procRoot, '--out', out], io)).toBe(0);
    expect(nodeReportSchema.parse(JSON.parse(readFileSync(out, 'utf8'))).node.name).toBe('ip-192-168-12-34.us-west-2.compute.internal');
    expect(await main(['node', '--host-root', path.join(node.dir, 'nope'), '--proc-root', node.procRoot], io)).toBe(2);
    expect(stderr.join('')).toMatch(/--host-root .*nope is not a directory/);
    expect(await main(['node', '--host-root', node.hostRoot, '--interval', '5m'], io)).toBe(2);
  });
});
