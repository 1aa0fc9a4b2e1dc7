import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PLANTED, leakyObjects } from '@/lib/analysis/snapshot/__fixtures__/leaky-cluster';
import { startFakeApiServer, type FakeApiServer, type FakeApiServerOptions } from '../test/fake-apiserver';
import { CollectError, PARTIAL_METADATA_ACCEPT, guessProvider } from './collect';
import { createMemoryLogger } from './log';
import { createSnapshotMaker } from './make-snapshot';

let dir: string;
let server: FakeApiServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-collect-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function snapshotFrom(options: FakeApiServerOptions, maker: { includeSecrets?: boolean; pageSize?: number; clusterName?: string } = {}) {
  server = await startFakeApiServer(options);
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, server.kubeconfig());
  const log = createMemoryLogger();
  const make = createSnapshotMaker({ kubeconfig, includeSecrets: maker.includeSecrets ?? false, pageSize: maker.pageSize, clusterName: maker.clusterName, env: {}, log });
  return { ...(await make()), log, requests: server.requests };
}

const pod = (index: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${String(index).padStart(4, '0')}`, namespace: 'load', managedFields: [{ manager: 'kubelet' }] },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
});

describe('collecting a live cluster', () => {
  it('pages through 1,234 pods with limit 500 in 3 requests and keeps every pod', async () => {
    const pods = Array.from({ length: 1234 }, (_, index) => pod(index));
    const { snapshot, requests } = await snapshotFrom({ lists: { '/api/v1/pods': pods } });

    const podRequests = requests.filter((request) => request.path === '/api/v1/pods');
    expect(podRequests).toHaveLength(3);
    expect(podRequests.map((request) => request.query.limit)).toEqual(['500', '500', '500']);
    expect(podRequests[0]?.query.continue).toBeUndefined();
    expect(podRequests[1]?.query.continue).toBeTruthy();
    expect(snapshot.objects.pods).toHaveLength(1234);
    expect(snapshot.collection.pods).toEqual({ status: 'collected', count: 1234 });
    expect(snapshot.objects.pods[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod-0000' } });
    expect(JSON.stringify(snapshot)).not.toContain('managedFields');
  });

  it('records a forbidden resource type and still completes the snapshot', async () => {
    const { snapshot, log } = await snapshotFrom({
      forbidden: ['/apis/rbac.authorization.k8s.io/v1/clusterroles'],
      lists: { '/api/v1/namespaces': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] },
    });
    expect(snapshot.collection.clusterroles).toMatchObject({ status: 'forbidden', count: 0, message: expect.stringContaining('cannot list resource "clusterroles"') });
    expect(snapshot.collection.namespaces).toEqual({ status: 'collected', count: 1 });
    expect(snapshot.collection.rolebindings).toEqual({ status: 'collected', count: 0 });
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', resource: 'clusterroles', status: 'forbidden' }));
  });

  it('does not request Secrets by default', async () => {
    const { snapshot, requests } = await snapshotFrom({ lists: { '/api/v1/secrets': [leakyObjects()[4] ?? {}] } });
    expect(requests.some((request) => request.path === '/api/v1/secrets')).toBe(false);
    expect(snapshot.collection.secrets).toMatchObject({ status: 'disabled' });
    expect(snapshot.objects.secrets).toEqual([]);
  });

  it('requests Secrets as PartialObjectMetadataList when enabled, and keeps no values', async () => {
    const { snapshot, requests } = await snapshotFrom({ lists: { '/api/v1/secrets': [leakyObjects()[4] ?? {}] } }, { includeSecrets: true });
    const secretRequests = requests.filter((request) => request.path === '/api/v1/secrets');
    expect(secretRequests.map((request) => request.accept)).toEqual([PARTIAL_METADATA_ACCEPT]);
    expect(snapshot.objects.secrets).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'payments', annotations: { owner: 'team-payments' } }, keys: [] },
    ]);
  });

  it('keeps Secret values out even when the server ignores the metadata-only request', async () => {
    const { snapshot } = await snapshotFrom({ ignorePartialMetadata: true, lists: { '/api/v1/secrets': [leakyObjects()[4] ?? {}] } }, { includeSecrets: true });
    const serialized = JSON.stringify(snapshot);
    expect(serialized).not.toContain(PLANTED.secretData);
    expect(serialized).not.toContain(PLANTED.secretStringData);
  });

  it('redacts what it reads before anything leaves the agent', async () => {
    const [, deployment, leakyPod, cronJob] = leakyObjects();
    const { snapshot } = await snapshotFrom({
      lists: { '/apis/apps/v1/deployments': [deployment ?? {}], '/api/v1/pods': [leakyPod ?? {}], '/apis/batch/v1/cronjobs': [cronJob ?? {}] },
    });
    const serialized = JSON.stringify(snapshot);
    for (const value of Object.values(PLANTED)) expect(serialized).not.toContain(value);
    expect(snapshot.objects.deployments).toHaveLength(1);
  });

  it('sends ConfigMaps as key names and redaction markers: no value leaves the agent', async () => {
    const configMaps = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app', namespace: 'web', managedFields: [{ manager: 'kubectl' }] },
        data: { DB_PASSWORD: PLANTED.dbPassword, 'settings.yaml': 'replicas: 3\nregion: eu-west-1', upstream: PLANTED.jwt, aws: PLANTED.awsAccessKeyId },
        binaryData: { 'logo.png': 'iVBORw0KGgoAAAANSUhEUg==' },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'web' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n-----END CERTIFICATE-----\n' } },
    ];
    const { snapshot, requests, log } = await snapshotFrom({ lists: { '/api/v1/configmaps': configMaps } });
    expect(requests.filter((request) => request.path === '/api/v1/configmaps')).toHaveLength(1);
    expect(snapshot.collection.configmaps).toEqual({ status: 'collected', count: 2 });
    const [app, rootCa] = snapshot.objects.configmaps ?? [];
    expect(app).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app', namespace: 'web' },
      keys: ['DB_PASSWORD', 'aws', 'logo.png', 'settings.yaml', 'upstream'],
      data: {
        DB_PASSWORD: expect.objectContaining({ redacted: true, reason: 'sensitive-name' }),
        aws: expect.objectContaining({ redacted: true, reason: 'aws-access-key' }),
        upstream: expect.objectContaining({ redacted: true, reason: 'jwt' }),
      },
    });
    expect(rootCa).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'web' }, keys: ['ca.crt'] });
    const sent = JSON.stringify(snapshot) + JSON.stringify(log.entries);
    for (const value of [PLANTED.dbPassword, PLANTED.jwt, PLANTED.awsAccessKeyId, 'eu-west-1', 'iVBORw0KGgo', 'BEGIN CERTIFICATE']) expect(sent).not.toContain(value);
  });

  it('records ConfigMaps as forbidden when its ClusterRole predates them, and sends the rest', async () => {
    const { snapshot } = await snapshotFrom({ forbidden: ['/api/v1/configmaps'] });
    expect(snapshot.collection.configmaps).toMatchObject({ status: 'forbidden', count: 0 });
    expect(snapshot.objects.configmaps).toEqual([]);
    expect(snapshot.collection.pods).toMatchObject({ status: 'collected' });
  });

  it('identifies the cluster by the kube-system UID, its version and a provider guess', async () => {
    const { snapshot, requests } = await snapshotFrom({ kubeSystemUid: 'f00dface-1111-4222-8333-444455556666', gitVersion: 'v1.29.3-eks-adc7111', token: 's3cret-agent-token' });
    expect(snapshot.cluster).toEqual({ uid: 'f00dface-1111-4222-8333-444455556666', name: 'fake-cluster', serverVersion: 'v1.29.3-eks-adc7111', provider: 'eks' });
    expect(snapshot.agent.mode).toBe('kubeconfig');
    expect(requests.every((request) => request.authorization === 'Bearer s3cret-agent-token')).toBe(true);
  });

  it('lists again from the start when a continue token expires', async () => {
    const pods = Array.from({ length: 7 }, (_, index) => pod(index));
    const { snapshot, requests } = await snapshotFrom({ lists: { '/api/v1/pods': pods }, expireContinueOnce: ['/api/v1/pods'] }, { pageSize: 5 });
    expect(snapshot.objects.pods).toHaveLength(7);
    expect(requests.filter((request) => request.path === '/api/v1/pods')).toHaveLength(4);
  });

  it('fails clearly when the API server refuses the credentials', async () => {
    server = await startFakeApiServer({ token: 'right' });
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, server.kubeconfig('wrong'));
    const make = createSnapshotMaker({ kubeconfig, includeSecrets: false, env: {}, log: createMemoryLogger() });
    await expect(make()).rejects.toThrow(CollectError);
  });
});

describe('guessProvider', () => {
  it('reads node labels, the version string and providerID', () => {
    expect(guessProvider('v1.30.1', [{ metadata: { labels: { 'cloud.google.com/gke-nodepool': 'default' } } }])).toBe('gke');
    expect(guessProvider('v1.30.1+k3s1', [])).toBe('k3s');
    expect(guessProvider('v1.30.0', [{ spec: { providerID: 'kind://docker/kind/kind-control-plane' } }])).toBe('kind');
    expect(guessProvider('v1.30.0', [])).toBe('unknown');
  });
});
