import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReport } from './scan';
import { runCli } from './spawn-cli';

const FIXTURES = path.join('scan', '__fixtures__');

describe('bulwark scan CLI', () => {
  it('prints exactly one JSON document with the findings and their CIS and ISO mappings', async () => {
    const { code, stdout } = await runCli(['--format', 'json', path.join(FIXTURES, 'insecure.yaml'), path.join(FIXTURES, 'pods.json')]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ScanReport;
    const privileged = report.findings.find((f) => f.controlId === 'workload.privileged-container');
    expect(privileged).toMatchObject({
      title: 'Containers do not run privileged',
      severity: 'critical',
      cis: ['5.2.2'],
      iso27001: expect.arrayContaining(['A.8.9']),
      resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      message: 'container "web" runs privileged',
      evidence: { type: 'path', path: 'spec.template.spec.containers[0].securityContext.privileged', value: true },
    });
    expect(report.findings.map((f) => f.controlId)).toEqual(expect.arrayContaining(['rbac.cluster-admin-binding', 'workload.host-pid', 'workload.credential-in-env']));
    expect(report.summary.findings.total).toBe(report.findings.length);
  }, 30_000);

  it('never prints a secret value from the input', async () => {
    for (const format of ['json', 'table']) {
      const { stdout, stderr } = await runCli(['--format', format, path.join(FIXTURES, 'insecure.yaml')]);
      expect(stdout + stderr).not.toMatch(/hunter2|s3cr3t/);
    }
  }, 30_000);

  it('prints a readable table and filters by framework and control', async () => {
    const table = await runCli(['--framework', 'cis', path.join(FIXTURES, 'insecure.yaml')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/CRITICAL\s+workload\.privileged-container\s+Deployment shop\/web\s+container "web" runs privileged/);
    expect(table.stdout).not.toMatch(/workload\.cpu-limits/); // not a CIS control
    const one = await runCli(['--format', 'json', '--control', 'workload.host-pid', path.join(FIXTURES, 'pods.json')]);
    expect((JSON.parse(one.stdout) as ScanReport).findings.map((f) => f.controlId)).toEqual(['workload.host-pid']);
  }, 30_000);

  it('exits 2 naming the file and the problem on bad input, and on unknown filters', async () => {
    const broken = await runCli([path.join(FIXTURES, 'broken.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml: invalid YAML at line \d+/);
    const missing = await runCli(['no/such/file.yaml']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/no\/such\/file\.yaml: no such file or directory/) });
    const framework = await runCli(['--framework', 'soc2', path.join(FIXTURES, 'pods.json')]);
    expect(framework).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown framework "soc2"/) });
    const control = await runCli(['--control', 'workload.nope', path.join(FIXTURES, 'pods.json')]);
    expect(control).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown control "workload.nope"/) });
    expect(framework.stdout + control.stdout).toBe('');
  }, 30_000);
});
