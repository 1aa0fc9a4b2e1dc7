import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import { buildSnapshot } from '@/lib/analysis/snapshot/build';
import type { KubeObject, Snapshot } from '@/lib/analysis/snapshot/schema';
import { configMapMeta, container, deployment, namespace, podSpec, secretMeta, snapshotOf } from '@/lib/testing/k8s';

const NOW = new Date('2025-01-01T00:00:00Z');
const GITHUB_TOKEN = 'ghp_R4nd0mG1tHubT0k3nV4lu3xxxxxxxxxxxxxx1';
const DB_PASSWORD = 'correct-horse-battery-staple';
const BEARER = 'Bearer probe-planted-bearer-value';
const PG_URL = 'postgres://app:pg-planted-pass@db.internal:5432/app';
const PLANTED = [GITHUB_TOKEN, DB_PASSWORD, 'probe-planted-bearer-value', 'pg-planted-pass'];

/** Through the agent's own path: raw objects in, the redacted snapshot out, as the backend receives it. */
const asSent = (objects: unknown[]): Snapshot =>
  buildSnapshot({ objects, cluster: { uid: 'u', name: 'c', provider: 'kind' }, collectedAt: NOW, agentVersion: '0.0.0-test', mode: 'in-cluster' }).snapshot;
const run = (snapshot: Snapshot, controlId: string) => evaluate(snapshot, { now: NOW, controlIds: [controlId] });

function expectNoValue(result: ReturnType<typeof run>) {
  const text = JSON.stringify(result);
  for (const value of PLANTED) expect(text).not.toContain(value);
}

const leakyWorkload = (): KubeObject =>
  deployment(
    { name: 'api', annotations: { 'example.com/deploy-token': GITHUB_TOKEN } },
    podSpec({
      containers: [
        container({
          name: 'api',
          command: ['/bin/api'],
          args: ['--log-level=info', `--db-password=${DB_PASSWORD}`, '--token', GITHUB_TOKEN, '--listen=:8080'],
          livenessProbe: { httpGet: { path: '/healthz', port: 8080, httpHeaders: [{ name: 'Authorization', value: BEARER }, { name: 'Accept', value: 'application/json' }] } },
          lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080, httpHeaders: [{ name: 'X-Api-Key', value: GITHUB_TOKEN }] } } },
        }),
      ],
    }),
  );

describe('workload.credential-in-args', () => {
  it('reports each credential argument by container, index, flag and detector, never the value', () => {
    const result = run(asSent([leakyWorkload()]), 'workload.credential-in-args');
    expect(result.findings.map((f) => f.message)).toEqual([
      'container "api" has a credential in args[1] (--db-password=…) (detector: sensitive-name, 28 characters)',
      'container "api" has a credential in args[3] (detector: known-token-format, 41 characters)',
    ]);
    expect(result.findings[0]?.evidence).toEqual({
      type: 'path',
      path: 'spec.template.spec.containers[0].args[1]',
      value: { redacted: true, reason: 'sensitive-name', length: 28, flag: '--db-password=' },
    });
    expectNoValue(result);
  });

  it('finds the same credentials in a snapshot that was never redacted (the detectors run here too)', () => {
    const result = run(snapshotOf([leakyWorkload()]), 'workload.credential-in-args');
    expect(result.findings.map((f) => f.evidence.type === 'path' && f.evidence.path)).toEqual([
      'spec.template.spec.containers[0].args[1]',
      'spec.template.spec.containers[0].args[3]',
    ]);
    expectNoValue(result);
  });

  it('passes ordinary arguments', () => {
    const ok = deployment({ name: 'ok' }, podSpec({ containers: [container({ args: ['--port=8080', '--password-file=/run/secrets/db', '--enable-bootstrap-token-auth=true'] })] }));
    expect(run(asSent([ok]), 'workload.credential-in-args').findings).toEqual([]);
  });
});

describe('workload.credential-in-http-headers', () => {
  it('reports probe and lifecycle headers by name, never the value', () => {
    const result = run(asSent([leakyWorkload()]), 'workload.credential-in-http-headers');
    expect(result.findings.map((f) => f.message)).toEqual([
      'container "api" sends a credential in header Authorization at livenessProbe.httpGet.httpHeaders[0].value (detector: sensitive-name, 33 characters)',
      'container "api" sends a credential in header X-Api-Key at lifecycle.preStop.httpGet.httpHeaders[0].value (detector: known-token-format, 41 characters)',
    ]);
    expectNoValue(result);
    expectNoValue(run(snapshotOf([leakyWorkload()]), 'workload.credential-in-http-headers'));
  });

  it('passes headers that carry no credential', () => {
    const ok = deployment({}, podSpec({ containers: [container({ readinessProbe: { httpGet: { path: '/', port: 80, httpHeaders: [{ name: 'Accept', value: 'text/plain' }] } } })] }));
    expect(run(asSent([ok]), 'workload.credential-in-http-headers').findings).toEqual([]);
  });
});

describe('secrets.credential-in-metadata', () => {
  it('reports a credential in an annotation of the workload and of its pod template, and in a label, by key', () => {
    const workload = leakyWorkload() as KubeObject & { spec: { template: { metadata: Record<string, unknown> } } };
    workload.spec.template.metadata.annotations = { 'example.com/db': PG_URL };
    const ns = namespace('team-a');
    ns.metadata.labels = { ...ns.metadata.labels, 'slack-hook': 'xoxb-1234567890-abcdefghijkl' };
    const result = run(asSent([workload, ns]), 'secrets.credential-in-metadata');
    expect(result.findings.map((f) => [f.resource.kind, f.message])).toEqual([
      ['Deployment', "Deployment team-a/api has a credential in annotation example.com/deploy-token at metadata.annotations['example.com/deploy-token'] (detector: known-token-format, 41 characters)"],
      ['Deployment', "Deployment team-a/api has a credential in annotation example.com/db at spec.template.metadata.annotations['example.com/db'] (detector: credential-url, 51 characters)"],
      ['Namespace', "Namespace team-a has a credential in label slack-hook at metadata.labels['slack-hook'] (detector: known-token-format, 28 characters)"],
    ]);
    expectNoValue(result);
    expect(JSON.stringify(result)).not.toContain('xoxb-1234567890');
  });

  it('reads the metadata of Secrets and ConfigMaps too, and passes ordinary annotations', () => {
    const secret = secretMeta({ name: 's', annotations: { note: `token ${GITHUB_TOKEN}` } });
    const plain = deployment({ name: 'plain', annotations: { 'deployment.kubernetes.io/revision': '3', 'checksum/config': 'a3f5c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345' } });
    const result = run(snapshotOf([secret, plain, configMapMeta()]), 'secrets.credential-in-metadata');
    expect(result.findings.map((f) => `${f.resource.kind}/${f.resource.name}`)).toEqual(['Secret/s']);
  });
});

describe('secrets.credential-in-configmap', () => {
  const rawConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'team-a' },
    data: { DB_PASSWORD, 'app.properties': 'server.port=8080', GITHUB: GITHUB_TOKEN, DATABASE_URL: PG_URL },
  };

  it('reports each credential key with its detector; the values never left the cluster', () => {
    const snapshot = asSent([rawConfigMap]);
    const result = run(snapshot, 'secrets.credential-in-configmap');
    expect(result.findings.map((f) => f.message)).toEqual([
      'ConfigMap settings holds a credential under key DATABASE_URL (detector: credential-url, 51 characters)',
      'ConfigMap settings holds a credential under key DB_PASSWORD (detector: sensitive-name, 28 characters)',
      'ConfigMap settings holds a credential under key GITHUB (detector: known-token-format, 41 characters)',
    ]);
    expect(result.findings[0]?.evidence).toEqual({ type: 'path', path: "data['DATABASE_URL']", value: { redacted: true, reason: 'credential-url', length: 51 } });
    expectNoValue(result);
    expect(JSON.stringify(snapshot)).not.toContain('server.port');
  });

  it('passes a ConfigMap without credentials, and ignores values too long to scan', () => {
    const big = configMapMeta({ name: 'dashboards' }, ['big.json'], { 'big.json': { redacted: true, sha256Prefix: '0123abcd', length: 900_000, reason: 'too-long-to-scan' } });
    expect(run(snapshotOf([configMapMeta(), big]), 'secrets.credential-in-configmap').findings).toEqual([]);
  });

  it('is not applicable for a snapshot from an agent that sends no ConfigMaps, or when listing them was forbidden', () => {
    const old = snapshotOf([]);
    delete (old.objects as { configmaps?: unknown }).configmaps;
    expect(run(old, 'secrets.credential-in-configmap').controls[0]).toMatchObject({ status: 'not_applicable', reason: expect.stringContaining('configmaps: not sent') });
    const forbidden = snapshotOf([], { collection: { configmaps: { status: 'forbidden', count: 0 } } });
    expect(run(forbidden, 'secrets.credential-in-configmap').controls[0]?.status).toBe('not_applicable');
  });
});

describe('workload.credential-in-env still works beside them', () => {
  it('reports a redacted env value', () => {
    const leaky = deployment({}, podSpec({ containers: [container({ env: [{ name: 'DB_PASSWORD', value: DB_PASSWORD }] })] }));
    const result = run(asSent([leaky]), 'workload.credential-in-env');
    expect(result.findings).toHaveLength(1);
    expectNoValue(result);
  });
});

describe('the new controls in the frameworks the reports show', () => {
  it('fail CIS 5.4.1 and ISO 27001 A.5.17 / A.8.12 through their mappings', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { DB_PASSWORD } };
    const result = evaluate(asSent([leakyWorkload(), configMap]), { now: NOW });
    const failing = (frameworkId: string, requirementId: string) =>
      result.requirements.find((r) => r.frameworkId === frameworkId && r.requirementId === requirementId)?.failingControlIds ?? [];
    const mine = ['secrets.credential-in-configmap', 'secrets.credential-in-metadata', 'workload.credential-in-args', 'workload.credential-in-http-headers'];
    for (const [framework, requirement] of [['cis-k8s-1.9', '5.4.1'], ['iso27001-2022', 'A.5.17'], ['iso27001-2022', 'A.8.12']] as const) {
      expect(failing(framework, requirement), `${framework} ${requirement}`).toEqual(expect.arrayContaining(mine));
    }
    expectNoValue(result);
  });
});
