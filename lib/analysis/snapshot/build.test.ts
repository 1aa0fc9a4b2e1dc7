import { describe, expect, it } from 'vitest';
import { ORDINARY_ENV, PLANTED, leakyObjects, pem } from './__fixtures__/leaky-cluster';
import { buildSnapshot, resourceNameFor, snapshotBodyDigest, snapshotContentHash, snapshotIdempotencyKey, type BuildSnapshotInput } from './build';
import { canonicalJson } from './canonical-json';
import { LAST_APPLIED_ANNOTATION } from './redact';

const base: Omit<BuildSnapshotInput, 'objects'> = {
  cluster: { uid: 'kube-system-uid', name: 'prod-eu', provider: 'eks', serverVersion: 'v1.30.2-eks-1552ad0' },
  collectedAt: '2025-05-01T10:00:00Z',
  agentVersion: '0.1.0',
  mode: 'in-cluster',
};

const build = (objects: unknown[], extra: Partial<BuildSnapshotInput> = {}) => buildSnapshot({ ...base, ...extra, objects });

describe('redaction in the built snapshot', () => {
  const { snapshot } = build(leakyObjects());
  const serialized = JSON.stringify(snapshot);

  it.each([...Object.entries(PLANTED), ['pem', pem]])('leaves no trace of the planted %s', (_name, value) => {
    expect(serialized).not.toContain(value);
  });

  it('drops the last-applied annotation and managedFields everywhere', () => {
    expect(serialized).not.toContain(LAST_APPLIED_ANNOTATION);
    expect(serialized).not.toContain('managedFields');
  });

  it('replaces credential env values with markers that keep length and reason', () => {
    const env = snapshot.objects.deployments[0]?.spec as { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: unknown }> }> } } };
    const byName = new Map(env.template.spec.containers[0]?.env.map((variable) => [variable.name, variable.value]));
    expect(byName.get('AWS_ACCESS_KEY_ID')).toMatchObject({ redacted: true, reason: 'aws-access-key', length: 20 });
    expect(byName.get('UPSTREAM_AUTH')).toMatchObject({ redacted: true, reason: 'jwt' });
    expect(byName.get('SIGNING_MATERIAL')).toMatchObject({ redacted: true, reason: 'private-key', length: pem.length });
    expect(byName.get('CACHE_SEED_VALUE')).toMatchObject({ redacted: true, reason: 'high-entropy', length: 40 });
    expect(byName.get('DB_PASSWORD')).toMatchObject({ redacted: true, reason: 'sensitive-name', length: PLANTED.dbPassword.length });
    expect(byName.get('DATABASE_URL')).toMatchObject({ redacted: true, reason: 'credential-url' });
    expect(byName.get('LOG_LEVEL')).toBe('info');
    expect(byName.get('PORT')).toBe('8080');
    expect(byName.get('KEYCLOAK_URL')).toBe('https://keycloak.example.com/auth/realms/main');
    for (const { name, value } of ORDINARY_ENV) if (value !== undefined) expect(byName.get(name)).toBe(value);
  });

  it('keeps a flag readable while hiding its credential value', () => {
    const pod = snapshot.objects.pods[0]?.spec as { containers: Array<{ args: string[] }> };
    expect(pod.containers[0]?.args[0]).toBe('--listen=:8080');
    expect(pod.containers[0]?.args[1]).toMatch(/^--github-token=bulwark-redacted:known-token-format:[0-9a-f]{8}:\d+$/);
  });

  it('keeps ordinary annotations and turns a Secret into its key names', () => {
    expect(snapshot.objects.deployments[0]?.metadata.annotations?.['checksum/config']).toMatch(/^3f78/);
    expect(snapshot.objects.secrets).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments', annotations: { owner: 'team-payments' } }, type: 'Opaque', keys: ['extra-token', 'password'] },
    ]);
  });

  it('gives the same value the same hash prefix wherever it appears', () => {
    const deployment = JSON.stringify(snapshot.objects.deployments[0]);
    const pod = JSON.stringify(snapshot.objects.pods[0]);
    const prefix = /"name":"DB_PASSWORD","value":\{[^}]*"sha256Prefix":"([0-9a-f]{8})"/;
    expect(prefix.exec(deployment)?.[1]).toBeDefined();
    expect(prefix.exec(deployment)?.[1]).toBe(prefix.exec(pod)?.[1]);
  });

  it('keeps only the status fields controls read', () => {
    expect(snapshot.objects.pods[0]?.status).toEqual({ phase: 'Running' });
    expect(snapshot.objects.deployments[0]?.status).toBeUndefined();
  });

  it('does not change its input', () => {
    const objects = leakyObjects();
    const before = JSON.stringify(objects);
    build(objects);
    expect(JSON.stringify(objects)).toBe(before);
  });
});

describe('buildSnapshot', () => {
  it('flattens List objects and typed lists whose items carry no kind', () => {
    const { snapshot, skipped } = build([
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', namespace: 'x' } }] },
      { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p', namespace: 'x' }, spec: { containers: [] } }] },
    ]);
    expect(skipped).toEqual([]);
    expect(snapshot.objects.serviceaccounts.map((o) => o.metadata.name)).toEqual(['a']);
    expect(snapshot.objects.pods[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod' });
  });

  it('carries a ConfigMap as its keys and markers for credential-like values only, never a value', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAtc2VydmljZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
    const { snapshot, skipped } = build([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: 'web' },
        data: { DB_PASSWORD: 'hunter2-hunter2', 'app.properties': 'server.port=8080\nlog.level=info', upstream: jwt, replicas: 3, 'db.properties': 'db.host=pg\ndb.password=s3cr3t-value' },
        binaryData: { 'logo.png': 'iVBORw0KGgo=' },
      },
    ]);
    expect(skipped).toEqual([]);
    const [configMap] = snapshot.objects.configmaps ?? [];
    expect(configMap?.keys).toEqual(['DB_PASSWORD', 'app.properties', 'db.properties', 'logo.png', 'replicas', 'upstream']);
    expect(configMap?.data).toEqual({
      DB_PASSWORD: { redacted: true, sha256Prefix: expect.stringMatching(/^[0-9a-f]{8}$/), length: 15, reason: 'sensitive-name' },
      upstream: { redacted: true, sha256Prefix: expect.stringMatching(/^[0-9a-f]{8}$/), length: jwt.length, reason: 'jwt' },
      'db.properties': { redacted: true, sha256Prefix: expect.stringMatching(/^[0-9a-f]{8}$/), length: 35, reason: 'sensitive-name' },
    });
    const serialized = JSON.stringify(snapshot);
    for (const value of ['hunter2', 'server.port', jwt, 'iVBORw0KGgo=', 's3cr3t-value', 'db.host']) expect(serialized).not.toContain(value);
    expect(snapshot.collection.configmaps).toEqual({ status: 'collected', count: 1 });
  });

  it('skips and reports unsupported kinds, other API groups, duplicates and invalid objects', () => {
    const { snapshot, skipped } = build([
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'settings' } },
      { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', namespace: 'web' }, spec: { containers: [{ name: 'c', env: [{ name: 'PORT', value: { nested: true } }] }] } },
      'not an object',
    ]);
    expect(snapshot.objects.services).toHaveLength(1);
    expect(skipped).toEqual([
      { kind: 'PodTemplate', name: 'settings', reason: 'unsupported kind v1 PodTemplate' },
      { kind: 'Service', name: 'web/hello', reason: 'unsupported kind serving.knative.dev/v1 Service' },
      { kind: 'Service', name: 'web/api', reason: 'duplicate: the same object appeared earlier in the input' },
      { kind: 'Pod', name: 'web/bad', reason: expect.stringContaining('invalid Pod: spec.containers[0].env[0].value') },
      { kind: '(no kind)', name: '(unnamed)', reason: 'not a Kubernetes object (apiVersion and kind are required)' },
    ]);
  });

  it('reads an unquoted number in env as the string Kubernetes expects, and still redacts it by name', () => {
    const { snapshot } = build([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'web' }, spec: { containers: [{ name: 'c', env: [{ name: 'PORT', value: 8080 }, { name: 'PIN_PASSWORD', value: 123456 }] }] } },
    ]);
    const env = (snapshot.objects.pods[0]?.spec as { containers: Array<{ env: Array<{ value: unknown }> }> }).containers[0]?.env;
    expect(env?.[0]?.value).toBe('8080');
    expect(env?.[1]?.value).toMatchObject({ redacted: true, reason: 'sensitive-name', length: 6 });
  });

  it('counts a resource the collection does not mention as collected, and keeps a forbidden one as is', () => {
    const offline = build([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }]).snapshot;
    expect(offline.collection.namespaces).toEqual({ status: 'collected', count: 1 });
    expect(offline.collection.roles).toEqual({ status: 'collected', count: 0 });

    const live = build([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }], {
      collection: { namespaces: { status: 'collected', count: 0 }, roles: { status: 'forbidden', count: 0, message: 'roles is forbidden' } },
    }).snapshot;
    expect(live.collection.namespaces).toEqual({ status: 'collected', count: 1 });
    expect(live.collection.roles).toEqual({ status: 'forbidden', count: 0, message: 'roles is forbidden' });
  });

  it('throws when the snapshot itself is invalid', () => {
    expect(() => build([], { cluster: { ...base.cluster, uid: '' } })).toThrow(/cluster\.uid/);
  });

  it('routes kinds by API group', () => {
    expect(resourceNameFor('extensions/v1beta1', 'Ingress')).toBe('ingresses');
    expect(resourceNameFor('networking.k8s.io/v1', 'NetworkPolicy')).toBe('networkpolicies');
    expect(resourceNameFor('apps/v1', 'Pod')).toBeNull();
  });
});

describe('snapshotContentHash', () => {
  it('is the same for the same cluster state collected at another time and in another order', () => {
    const first = build(leakyObjects()).snapshot;
    const second = build([...leakyObjects()].reverse(), { collectedAt: '2025-05-01T10:05:00Z' }).snapshot;
    expect(snapshotContentHash(second)).toBe(snapshotContentHash(first));
    expect(snapshotContentHash(first)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when an object changes', () => {
    const objects = leakyObjects();
    const before = snapshotContentHash(build(objects).snapshot);
    (objects[0]?.metadata as { labels?: Record<string, string> }).labels = { team: 'payments' };
    expect(snapshotContentHash(build(objects).snapshot)).not.toBe(before);
  });
});

describe('snapshotIdempotencyKey', () => {
  it('is the same for one collection retried, and differs for a later collection of the same state', () => {
    const first = build(leakyObjects()).snapshot;
    expect(snapshotIdempotencyKey(first)).toBe(snapshotIdempotencyKey(structuredClone(first)));
    const later = build(leakyObjects(), { collectedAt: '2025-05-01T10:05:00Z' }).snapshot;
    expect(snapshotIdempotencyKey(later)).not.toBe(snapshotIdempotencyKey(first));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[3,1]},"b":1}');
  });
});

describe('snapshotBodyDigest', () => {
  it("ignores collectedAt, follows every other change, and is the same for the agent's object and the bytes it sent", () => {
    const base = { schemaVersion: 1, collectedAt: '2026-01-01T00:00:00Z', cluster: { uid: 'u' }, objects: { pods: [{ a: 1 }] } };
    const later = { ...base, collectedAt: '2026-01-01T00:05:00Z' };
    expect(snapshotBodyDigest(later)).toBe(snapshotBodyDigest(base));
    expect(snapshotBodyDigest(JSON.parse(JSON.stringify(later)))).toBe(snapshotBodyDigest(base));
    expect(snapshotBodyDigest({ ...base, objects: { pods: [{ a: 2 }] } })).not.toBe(snapshotBodyDigest(base));
    expect(snapshotBodyDigest(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});
