import { describe, expect, it } from 'vitest';
import { PLANTED, leakyObjects } from './__fixtures__/leaky-cluster';
import { buildSnapshot } from './build';
import { MAX_REPORTED_ISSUES, parseSnapshot } from './parse';

const built = () =>
  buildSnapshot({
    objects: leakyObjects(),
    cluster: { uid: 'uid-1', name: 'prod', provider: 'gke' },
    collectedAt: '2025-05-01T10:00:00.000Z',
    agentVersion: '0.1.0',
    mode: 'kubeconfig',
  }).snapshot;

// A snapshot as it arrives: plain JSON, free to be edited into something an honest agent never sends.
type JsonObject = Record<string, unknown>;
const asJson = (value: unknown): JsonObject & { objects: Record<'pods' | 'secrets' | 'namespaces', JsonObject[]> } =>
  JSON.parse(JSON.stringify(value));

describe('parseSnapshot', () => {
  it('accepts what buildSnapshot produces', () => {
    const result = parseSnapshot(asJson(built()));
    expect(result.ok).toBe(true);
  });

  it('names the JSON path of each problem', () => {
    const json = asJson(built());
    delete json.objects.pods[0]?.metadata;
    json.collectedAt = 'yesterday';
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['collectedAt', 'objects.pods[0].metadata']));
  });

  it('lists at most 20 issues', () => {
    const json = asJson(built());
    json.objects.namespaces = Array.from({ length: 50 }, () => ({ kind: 'Namespace' }));
    const result = parseSnapshot(json);
    expect(result.ok ? 0 : result.issues.length).toBe(MAX_REPORTED_ISSUES);
  });

  it('refuses a Secret that carries data, with a message that says why', () => {
    const json = asJson(built());
    const secret = json.objects.secrets[0];
    if (secret) secret.data = { password: PLANTED.secretData };
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toEqual({ path: 'objects.secrets[0].data', message: 'Secret values must not be sent: a snapshot carries key names only' });
  });

  it('refuses a schema-valid snapshot whose env still holds a credential', () => {
    const json = asJson(built());
    json.objects.pods = [
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'leaky', namespace: 'a', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
        spec: { containers: [{ name: 'c', env: [{ name: 'GITHUB_TOKEN', value: PLANTED.githubToken }] }] },
      },
    ];
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      { path: 'objects.pods[0].metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]', message: expect.stringContaining('last-applied') },
      { path: 'objects.pods[0].spec.containers[0].env[0].value', message: 'env value looks like a credential (known-token-format) and must be redacted' },
    ]);
  });

  it('refuses an env value too long to scan, and says so instead of calling it a credential', () => {
    const json = asJson(built());
    json.objects.pods = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env: [{ name: 'BANNER', value: 'a'.repeat(200_000) }] }] } }];
    const result = parseSnapshot(json);
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'objects.pods[0].spec.containers[0].env[0].value', message: 'env value is too long to scan for credentials (over 65,536 characters) and must be redacted' },
    ]);
  });

  it('checks an object as the kind of its list, whatever kind it claims', () => {
    const json = asJson(built());
    json.objects.pods = [{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' }, spec: { containers: [{ name: 'c', env: [{ name: 'API_TOKEN', value: 'plain-token-value' }] }] } }];
    const result = parseSnapshot(json);
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual(['objects.pods[0].spec.containers[0].env[0].value']);
  });

  it('accepts ConfigMaps with redaction markers, and a snapshot from an agent that sends no ConfigMaps at all', () => {
    const json = asJson(built()) as JsonObject & { objects: Record<string, unknown> };
    json.objects.configmaps = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'web' },
        keys: ['DB_PASSWORD', 'app.properties'],
        data: { DB_PASSWORD: { redacted: true, sha256Prefix: '0123abcd', length: 15, reason: 'sensitive-name' } },
      },
    ];
    expect(parseSnapshot(json).ok).toBe(true);
    delete json.objects.configmaps;
    const old = parseSnapshot(json);
    expect(old.ok).toBe(true);
    expect(old.ok && old.snapshot.objects.configmaps).toBeUndefined();
  });

  it('refuses a raw credential in a ConfigMap, naming the key and never echoing the value', () => {
    const json = asJson(built()) as JsonObject & { objects: Record<string, unknown> };
    json.objects.configmaps = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, keys: ['DB_PASSWORD'], data: { DB_PASSWORD: PLANTED.githubToken } },
    ];
    const result = parseSnapshot(json);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toEqual({
      path: 'objects.configmaps[0].data.DB_PASSWORD',
      message: expect.stringMatching(/^ConfigMap value looks like a credential \(known-token-format\) and must be redacted/),
    });
    expect(JSON.stringify(result.issues)).not.toContain(PLANTED.githubToken);
  });

  it('rejects what is not a snapshot at all', () => {
    expect(parseSnapshot('hello')).toMatchObject({ ok: false, issues: [{ path: '', message: expect.any(String) }] });
  });
});
