import { describe, expect, it } from 'vitest';
import { buildSnapshot } from './build';
import { isManifestFile, ManifestError, parseManifest } from './manifests';

const names = (objects: unknown[]) => objects.map((object) => (object as { metadata?: { name?: string } }).metadata?.name);

describe('parseManifest', () => {
  it('reads every document of a multi-document YAML file and skips empty ones', () => {
    const text = ['# the app', 'apiVersion: v1', 'kind: Namespace', 'metadata: {name: shop}', '---', 'apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: web, namespace: shop}', '---', ''].join('\n');
    expect(names(parseManifest('app.yaml', text))).toEqual(['shop', 'web']);
  });

  it('reads YAML the way Kubernetes does (YAML 1.1: octal modes)', () => {
    const [pod] = parseManifest('pod.yml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: v\n    secret: {secretName: s, defaultMode: 0644}\n');
    expect((pod as { spec: { volumes: Array<{ secret: { defaultMode: number } }> } }).spec.volumes[0]?.secret.defaultMode).toBe(0o644);
  });

  it('reads kubectl get -o json List output, which buildSnapshot flattens', () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: {} },
      ],
      metadata: { resourceVersion: '' },
    };
    const objects = parseManifest('dump.JSON', JSON.stringify(list));
    const { snapshot } = buildSnapshot({ objects, cluster: { uid: 'offline:t', name: 't', provider: 'offline' }, collectedAt: new Date(), agentVersion: 'test', mode: 'offline' });
    expect(snapshot.objects.services).toHaveLength(1);
    expect(snapshot.objects.deployments).toHaveLength(1);
  });

  it('names the file and the line of a YAML error', () => {
    const error = (() => {
      try {
        return parseManifest('deploy/broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).file).toBe('deploy/broken.yaml');
    expect((error as ManifestError).message).toMatch(/^deploy\/broken\.yaml: invalid YAML at line \d+, column \d+/);
  });

  it('names the file of a JSON error and of a scalar document', () => {
    expect(() => parseManifest('bad.json', '{"apiVersion": ')).toThrow('bad.json: invalid JSON');
    expect(() => parseManifest('scalar.yaml', 'just a string\n')).toThrow('scalar.yaml: document 1 is a string, not a Kubernetes object');
  });
});

describe('isManifestFile', () => {
  it('takes .yaml, .yml and .json in any case, nothing else', () => {
    expect(['a.yaml', 'b.YML', 'c.Json'].map(isManifestFile)).toEqual([true, true, true]);
    expect(['README.md', 'yaml', 'x.yaml.bak'].map(isManifestFile)).toEqual([false, false, false]);
  });
});
