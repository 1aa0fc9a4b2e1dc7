import { describe, expect, it } from 'vitest';
import { snapshotOf } from '@/lib/testing/k8s';
import type { Snapshot } from '@/lib/analysis/snapshot/schema';
import { importedControlId, importedControlTitle, importedMessage, MAX_IMPORTED_MESSAGE, parseImportedControlId } from '@/lib/analysis/model/policy-report';
import { importPolicyReports } from './index';

type Result = Record<string, unknown>;

function withLists(lists: Record<string, unknown[]>, collectedAt = '2026-12-01T10:00:00Z'): Snapshot {
  const base = snapshotOf([], { collectedAt });
  return { ...base, objects: { ...base.objects, ...lists } as unknown as Snapshot['objects'] };
}

function report(results: Result[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport',
    metadata: { name: 'polr-shop', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'kyverno' } },
    results, ...extra,
  };
}

const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web', uid: 'uid-1' };
const api = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api', uid: 'uid-2' };

function result(over: Result = {}): Result {
  return { source: 'kyverno', policy: 'require-labels', rule: 'check-team', result: 'fail', message: "validation error: label 'team' is required", resources: [web], ...over };
}

function clusterPolicy(name: string, annotations: Record<string, string>) {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name, annotations }, spec: { rules: [{ name: 'check-team' }] } };
}

describe('importPolicyReports', () => {
  it('turns each failed result into a finding of policyreport.<source>.<policy> on the result\'s resource', () => {
    const { findings, controls } = importPolicyReports(withLists({ policyreports: [report([result(), result({ resources: [api] })])] }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      controlId: 'policyreport.kyverno.require-labels', severity: 'medium',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      message: "rule check-team: validation error: label 'team' is required",
      evidence: { type: 'imported', source: 'Kyverno', policy: 'require-labels', rule: 'check-team', result: 'fail', severitySource: 'default', report: { kind: 'PolicyReport', namespace: 'shop', name: 'polr-shop' } },
    });
    expect(controls).toEqual([expect.objectContaining({ controlId: 'policyreport.kyverno.require-labels', status: 'fail', evaluated: 2, findings: 2, imported: { source: 'Kyverno', pass: 0, fail: 2, warn: 0, error: 0, skip: 0 } })]);
  });

  it('takes the severity from the result, else the Kyverno policy\'s annotation, else medium', () => {
    const annotated = clusterPolicy('require-labels', { 'policies.kyverno.io/severity': 'high', 'policies.kyverno.io/category': 'Best Practices' });
    const reports = [report([result({ severity: 'critical' }), result({ resources: [api] }), result({ policy: 'other', resources: [api] }), result({ policy: 'info-only', severity: 'info' })])];
    const { findings } = importPolicyReports(withLists({ policyreports: reports, kyvernopolicies: [annotated] }));
    const by = (policy: string, name: string) => findings.find((f) => f.controlId.endsWith(`.${policy}`) && f.resource.name === name);
    expect(by('require-labels', 'web')).toMatchObject({ severity: 'critical', evidence: { severitySource: 'result', category: 'Best Practices' } });
    expect(by('require-labels', 'api')).toMatchObject({ severity: 'high', evidence: { severitySource: 'policy', category: 'Best Practices' } });
    expect(by('other', 'api')).toMatchObject({ severity: 'medium', evidence: { severitySource: 'default', category: null } });
    expect(by('info-only', 'web')).toMatchObject({ severity: 'low', evidence: { severitySource: 'result' } });
  });

  it('finds a namespaced Kyverno Policy named <namespace>/<name> in results, and ignores a severity outside the spec', () => {
    const policy = { apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'no-latest', namespace: 'shop', annotations: { 'policies.kyverno.io/severity': 'low' } }, spec: { rules: [] } };
    const { findings } = importPolicyReports(withLists({
      policyreports: [report([result({ policy: 'shop/no-latest' }), result({ policy: 'no-latest', resources: [api], severity: 'urgent' })])],
      kyvernopolicies: [policy],
    }));
    expect(findings.map((f) => [f.resource.name, f.severity, (f.evidence as { severitySource: string }).severitySource])).toEqual([['web', 'low', 'policy'], ['api', 'low', 'policy']]);
  });

  it('reports warn one severity lower and marked as a warning; pass and skip count as evaluated without findings', () => {
    const { findings, controls } = importPolicyReports(withLists({ policyreports: [report([
      result({ result: 'warn', severity: 'high' }),
      result({ result: 'pass', resources: [api] }),
      result({ result: 'skip', rule: 'autogen-check-team', resources: [api] }),
    ])] }));
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', message: expect.stringMatching(/^warning: rule check-team: /), evidence: expect.objectContaining({ result: 'warn' }) })]);
    expect(controls[0]).toMatchObject({ status: 'fail', evaluated: 3, findings: 1, imported: { pass: 1, warn: 1, skip: 1, fail: 0, error: 0 } });
  });

  it('records error results as evaluation errors, never as a pass', () => {
    const { findings, controls, parseErrors } = importPolicyReports(withLists({ policyreports: [report([
      result({ result: 'error', policy: 'verify-images', rule: 'cosign', message: 'failed to fetch signature: timeout' }),
      result({ result: 'pass', policy: 'verify-images', rule: 'cosign', resources: [api] }),
    ])] }));
    expect(findings).toEqual([]);
    expect(controls[0]).toMatchObject({
      controlId: 'policyreport.kyverno.verify-images', status: 'not_applicable', evaluated: 1,
      reason: expect.stringContaining('Kyverno reported 1 error result(s)'),
      errors: [{ resource: expect.objectContaining({ name: 'web' }), message: 'rule cosign: failed to fetch signature: timeout' }],
    });
    expect(parseErrors).toEqual([expect.objectContaining({ message: 'policyreport.kyverno.verify-images: rule cosign: failed to fetch signature: timeout' })]);
  });

  it('keeps the fingerprint across snapshots: no timestamp, uid or report name in it; the rule and resource are', () => {
    const first = importPolicyReports(withLists({ policyreports: [report([result({ timestamp: { seconds: 1 } })])] }, '2026-12-01T10:00:00Z'));
    const later = importPolicyReports(withLists({ policyreports: [report([result({ timestamp: { seconds: 999 }, resources: [{ ...web, uid: 'recreated' }] })], { metadata: { name: 'polr-renamed', namespace: 'shop' } })] }, '2026-12-02T10:00:00Z'));
    expect(later.findings[0]?.fingerprint).toBe(first.findings[0]?.fingerprint);
    const otherRule = importPolicyReports(withLists({ policyreports: [report([result({ rule: 'check-owner' })])] }));
    expect(otherRule.findings[0]?.fingerprint).not.toBe(first.findings[0]?.fingerprint);
  });

  it('reports one finding when two reports carry the same failing result, and a stale pass never hides a failure', () => {
    const perResource = report([result({ result: 'pass' })], { metadata: { name: 'uid-1', namespace: 'shop' }, scope: web });
    const aggregated = report([result()]);
    const { findings, controls } = importPolicyReports(withLists({ policyreports: [perResource, aggregated] }));
    expect(findings).toHaveLength(1);
    expect(controls[0]?.imported).toMatchObject({ fail: 1, pass: 0 });
  });

  it('uses the report\'s scope when a result names no resource, and a ClusterPolicyReport\'s cluster-scoped resources', () => {
    const scoped = report([result({ resources: undefined })], { scope: { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'shop' } });
    const cluster = { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'ClusterPolicyReport', metadata: { name: 'cpol-ns' }, results: [result({ policy: 'ns-owner', resources: [{ apiVersion: 'v1', kind: 'Namespace', name: 'shop' }] })] };
    const { findings } = importPolicyReports(withLists({ policyreports: [scoped, cluster] }));
    expect(findings.map((f) => f.resource)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1', uid: null },
      { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'shop', uid: null },
    ]);
  });

  it('leaves out results on objects Kubernetes manages unless asked, like every control', () => {
    const system = result({ resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }] });
    const snapshot = withLists({ policyreports: [report([system])] });
    expect(importPolicyReports(snapshot).findings).toEqual([]);
    expect(importPolicyReports(snapshot, { includePlatform: true }).findings).toEqual([expect.objectContaining({ isPlatform: true })]);
  });

  it('cuts an oversized message and replaces credential-like values in it', () => {
    const long = `label missing ${'x '.repeat(5000)}`;
    const leaky = 'env DB_PASSWORD=hunter2-Very-Secret is set; token AKIAIOSFODNN7EXAMPLE found';
    const { findings } = importPolicyReports(withLists({ policyreports: [report([result({ message: long }), result({ message: leaky, resources: [api] })])] }));
    const [first, second] = findings;
    expect(first?.message.length).toBeLessThanOrEqual(MAX_IMPORTED_MESSAGE + 'rule check-team: '.length);
    expect(first?.message.endsWith('…')).toBe(true);
    expect(second?.message).not.toContain('hunter2');
    expect(second?.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(second?.message).toContain('DB_PASSWORD=[redacted]');
  });

  it('withholds a message holding a credential that spans words (a private key block)', () => {
    const pem = 'found -----BEGIN RSA PRIVATE KEY----- MIIEowIBAAKCAQEA -----END RSA PRIVATE KEY----- in config';
    expect(importedMessage(pem)).toMatch(/^\[message withheld: it looked like it held a credential \(/);
    expect(importedMessage(pem)).not.toContain('MIIE');
  });

  it('reports an unreadable report or result as a parse error and imports the rest', () => {
    const { findings, parseErrors } = importPolicyReports(withLists({ policyreports: [
      { apiVersion: 'wgpolicyk8s.io/v1alpha2', kind: 'PolicyReport', metadata: {} },
      report([{ policy: 'p', result: 'maybe' }, result()]),
    ] }));
    expect(findings).toHaveLength(1);
    expect(parseErrors.map((e) => e.message)).toEqual([expect.stringContaining('PolicyReport could not be read: metadata.name'), expect.stringContaining('results[0] could not be read: result')]);
  });

  it('imports nothing from a snapshot without PolicyReports (an older agent, or none in the cluster)', () => {
    expect(importPolicyReports(snapshotOf([]))).toEqual({ findings: [], controls: [], parseErrors: [] });
  });
});

describe('imported control ids', () => {
  it('name the engine and the policy, and read back as a title', () => {
    expect(importedControlId('Kyverno', 'require-labels')).toBe('policyreport.kyverno.require-labels');
    expect(importedControlId('Trivy Vulnerability', 'CVE-2024-1')).toBe('policyreport.trivy-vulnerability.CVE-2024-1');
    expect(parseImportedControlId('policyreport.kyverno.shop/no-latest')).toEqual({ source: 'kyverno', sourceLabel: 'Kyverno', policy: 'shop/no-latest' });
    expect(importedControlTitle('policyreport.kyverno.require-labels', 'check-team')).toBe('Kyverno policy require-labels / rule check-team');
    expect(importedControlTitle('workload.privileged-container')).toBeNull();
    expect(importedControlId('kyverno', 'p'.repeat(300)).length).toBe(200);
  });

  it('keeps readable messages readable', () => {
    expect(importedMessage("validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/")).toBe(
      "validation error: label 'team' is required. rule check-team failed at path /metadata/labels/team/");
    expect(importedMessage('password: required')).toBe('password: required');
  });
});
