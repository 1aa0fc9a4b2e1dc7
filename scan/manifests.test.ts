import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManifestError } from '@/lib/analysis/snapshot/manifests';
import { readManifestPaths } from './manifests';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-scan-'));
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

describe('scan readManifestPaths', () => {
  it('walks a directory recursively in a stable order, reading only manifest files', async () => {
    await write('b/role.yml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: b-role, namespace: x}\n');
    await write('a.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a-ns}\n');
    await write('b/c/sa.JSON', '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"c-sa","namespace":"x"}}');
    await write('README.md', '# not a manifest: {');
    await write('.git/config.yaml', 'not: [valid');
    expect(names(await readManifestPaths([dir]))).toEqual(['a-ns', 'c-sa', 'b-role']);
  });

  it('names the bad file, and a path that does not exist', async () => {
    const json = await write('bad.json', '{"apiVersion": ');
    await expect(readManifestPaths([dir])).rejects.toThrow(`${json}: invalid JSON`);
    const missing = path.join(dir, 'nope.yaml');
    await expect(readManifestPaths([missing])).rejects.toThrow(new ManifestError(missing, 'no such file or directory'));
  });
});
