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

  it('judges the manifests against the admission policies among them, and lists PolicyReport results, unless filtered', async () => {
    const file = path.join(FIXTURES, 'admission.yaml');
    const { code, stdout } = await runCli(['--format', 'json', file]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ScanReport;
    const own = report.findings.filter((f) => f.controlId.startsWith('vap.') || f.controlId.startsWith('policyreport.'));
    // checkout lacks the owner label in prod (bound); cart has it; sandbox is in dev, which the binding does not select.
    expect(own.map((f) => [f.controlId, f.title, f.severity, `${f.resource.namespace}/${f.resource.name}`])).toEqual([
      ['vap.require-owner-label', 'Admission policy require-owner-label', 'high', 'prod/checkout'],
      ['policyreport.kyverno.disallow-latest-tag', 'Kyverno policy disallow-latest-tag', 'high', 'prod/cart'],
    ]);
    expect(own[0]?.message).toBe('Deployment prod/checkout would be denied by ValidatingAdmissionPolicy require-owner-label (binding require-owner-label-prod, actions Deny): Deployment checkout has no owner label');
    expect(report.summary.admissionPolicies).toEqual([expect.objectContaining({ name: 'require-owner-label', bindings: [expect.objectContaining({ status: 'evaluated', evaluated: 2, violations: 1 })] })]);

    const table = await runCli([file]);
    expect(table.stdout).toContain('ValidatingAdmissionPolicy require-owner-label (binding require-owner-label-prod, actions Deny): 1 of 2 selected object(s) violate it');
    const filtered = JSON.parse((await runCli(['--format', 'json', '--framework', 'cis', file])).stdout) as ScanReport;
    expect(filtered.findings.filter((f) => !f.cis.length)).toEqual([]);
    expect(filtered.summary.admissionPolicies).toEqual([]);
  }, 60_000); // three runs of the CLI, each starting tsx

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
