import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/lib/analysis/snapshot/build';
import { ManifestError } from '@/lib/analysis/snapshot/manifests';
import { readManifestPaths } from './offline';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-offline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(relative: string, text: string): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

const names = (objects: unknown[]) => objects.map((object) => (object as { metadata?: { name?: string } }).metadata?.name);

describe('readManifestPaths', () => {
  it('reads every document of a multi-document YAML file and skips empty ones', async () => {
    const file = await write('app.yaml', [
      '# the app',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata: {name: shop}',
      '---',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: {name: web, namespace: shop}',
      '---',
      '',
    ].join('\n'));
    expect(names(await readManifestPaths([file]))).toEqual(['shop', 'web']);
  });

  it('reads YAML the way Kubernetes does (YAML 1.1: octal modes)', async () => {
    const file = await write('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: v\n    secret: {secretName: s, defaultMode: 0644}\n');
    const [pod] = await readManifestPaths([file]);
    expect((pod as { spec: { volumes: Array<{ secret: { defaultMode: number } }> } }).spec.volumes[0]?.secret.defaultMode).toBe(0o644);
  });

  it('reads kubectl get -o json List output, which buildSnapshot flattens', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: {} },
      ],
      metadata: { resourceVersion: '' },
    };
    const objects = await readManifestPaths([await write('dump.json', JSON.stringify(list))]);
    const { snapshot } = buildSnapshot({ objects, cluster: { uid: 'offline:t', name: 't', provider: 'offline' }, collectedAt: new Date(), agentVersion: 'test', mode: 'offline' });
    expect(snapshot.objects.services).toHaveLength(1);
    expect(snapshot.objects.deployments).toHaveLength(1);
  });

  it('walks a directory recursively in a stable order, reading only manifest files', async () => {
    await write('b/role.yml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: b-role, namespace: x}\n');
    await write('a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a-ns}\n');
    await write('b/c/sa.JSON', '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"c-sa","namespace":"x"}}');
    await write('README.md', '# not a manifest: {');
    await write('.git/config.yaml', 'not: [valid');
    expect(names(await readManifestPaths([dir]))).toEqual(['a-ns', 'c-sa', 'b-role']); // a.yaml, b/c/sa.JSON, b/role.yml
  });

  it('names the file and the line of a YAML error', async () => {
    const file = await write('broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
    const error = await readManifestPaths([dir]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).file).toBe(file);
    expect((error as ManifestError).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid YAML at line \\d+, column \\d+`));
  });

  it('names the file of a JSON error, a scalar document and a missing path', async () => {
    const json = await write('bad.json', '{"apiVersion": ');
    await expect(readManifestPaths([json])).rejects.toThrow(`${json}: invalid JSON`);
    const scalar = await write('scalar.yaml', 'just a string\n');
    await expect(readManifestPaths([scalar])).rejects.toThrow(`${scalar}: document 1 is a string, not a Kubernetes object`);
    const missing = path.join(dir, 'nope.yaml');
    await expect(readManifestPaths([missing])).rejects.toThrow(new ManifestError(missing, 'no such file or directory'));
  });
});
