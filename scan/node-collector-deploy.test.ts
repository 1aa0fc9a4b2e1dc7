import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './spawn-cli';
import type { ScanReport } from './scan';

const DEPLOY = path.join('agent', 'deploy', 'node');
const ROOT = path.resolve(import.meta.dirname, '..');

describe('the node collector\'s manifests (agent/deploy/node)', () => {
  it('come out of a Bulwark scan with every finding an accepted exception that says why, none silent', async () => {
    const kustomization = parse(readFileSync(path.join(ROOT, DEPLOY, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const { code, stdout, stderr } = await runCli(['--format', 'json', ...kustomization.resources.map((file) => path.join(DEPLOY, file))]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.summary.parseErrors).toEqual([]);
    expect(report.findings.map((f) => `${f.controlId} ${f.resource.kind} ${f.resource.name}: ${f.message}`)).toEqual([]);
    const accepted = new Map(report.accepted.map((f) => [f.controlId, f.reason]));
    // The host access the collector needs, each found by the scan and accepted with its reason.
    expect(accepted.get('workload.host-pid')).toMatch(/\/proc\/<pid>\/cmdline/);
    expect(accepted.get('workload.host-path-volume')).toMatch(/read-only/);
    expect(accepted.get('workload.run-as-root')).toMatch(/0600 root:root/);
    expect(report.summary.accepted).toBe(report.accepted.length);
    // What it is not given: no privileged container, no added capability, no host network, no writable root.
    for (const control of ['workload.privileged-container', 'workload.host-network', 'workload.added-capabilities', 'workload.allow-privilege-escalation']) {
      expect(accepted.has(control), control).toBe(false);
    }
  }, 30_000);

  it('mounts every host path read-only, drops every capability and mounts no API token', () => {
    const daemonset = parse(readFileSync(path.join(ROOT, DEPLOY, 'daemonset.yaml'), 'utf8')) as {
      spec: { template: { spec: { hostPID: boolean; automountServiceAccountToken: boolean; volumes: { name: string; hostPath?: { path: string } }[]; containers: { securityContext: { readOnlyRootFilesystem: boolean; capabilities: { drop: string[]; add?: string[] } }; volumeMounts: { name: string; readOnly?: boolean }[] }[] } } };
    };
    const pod = daemonset.spec.template.spec;
    const hostVolumes = new Set(pod.volumes.filter((v) => v.hostPath).map((v) => v.name));
    expect(pod.volumes.filter((v) => v.hostPath).map((v) => v.hostPath?.path)).not.toContain('/');
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const container of pod.containers) {
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.securityContext.capabilities.add).toBeUndefined();
      for (const mount of container.volumeMounts.filter((m) => hostVolumes.has(m.name))) expect(mount.readOnly, mount.name).toBe(true);
    }
    const serviceAccount = parse(readFileSync(path.join(ROOT, DEPLOY, 'serviceaccount.yaml'), 'utf8')) as { automountServiceAccountToken: boolean };
    expect(serviceAccount.automountServiceAccountToken).toBe(false);
  });
});
