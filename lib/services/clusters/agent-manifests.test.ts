import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readAgentDeployObjects, renderAgentManifests } from './agent-manifests';

type Obj = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;
const parse = (text: string) => parseAllDocuments(text, { version: '1.1' }).map((doc) => doc.toJS() as Obj).filter(Boolean);
const keyOf = (object: Obj) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
const byKey = (objects: Obj[]) => Object.fromEntries(objects.map((object) => [keyOf(object), object]));

function kubectlKustomize(): string | null {
  try { return execFileSync('kubectl', ['kustomize', 'agent/deploy'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return null; }
}
const kustomized = kubectlKustomize();

const OPTIONS = { serverUrl: 'https://bulwark.acme.test', image: 'registry.acme.test/bulwark/agent:1.2.3', clusterName: 'prod-eu' };

describe('the agent manifests Bulwark serves', () => {
  // kubectl (with Kustomize v5) is on the development machines; the comparison needs it and nothing else does.
  it.runIf(kustomized !== null)('are what `kubectl kustomize agent/deploy` renders, with the server URL and release image filled in', () => {
    const expected = byKey(parse(kustomized!));
    const served = byKey(parse(renderAgentManifests(OPTIONS)));
    expect(Object.keys(served).sort()).toEqual(Object.keys(expected).sort());
    const configMap = expected['ConfigMap/bulwark-system/bulwark-agent'] as unknown as { data: Record<string, string> };
    configMap.data.server = OPTIONS.serverUrl;
    const deployment = expected['Deployment/bulwark-system/bulwark-agent'] as unknown as { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
    deployment.spec.template.spec.containers[0]!.image = OPTIONS.image;
    expect(served).toEqual(expected);
  });

  it('puts the Namespace first and the token Secret right after it, so a single `kubectl apply -f` works', () => {
    const objects = parse(renderAgentManifests({ ...OPTIONS, agentToken: 'bwa_example' }));
    expect(objects.slice(0, 2).map(keyOf)).toEqual(['Namespace//bulwark-system', 'Secret/bulwark-system/bulwark-agent-token']);
    expect(objects[1]).toMatchObject({ type: 'Opaque', stringData: { token: 'bwa_example' } });
    expect(objects).toHaveLength(readAgentDeployObjects().length + 1);
  });

  it('keeps the token volume\'s file mode octal 0440 as Kubernetes reads it, and names the cluster and server in a comment', () => {
    const text = renderAgentManifests(OPTIONS);
    expect(text).toMatch(/^# Bulwark agent for cluster "prod-eu", reporting to https:\/\/bulwark\.acme\.test/);
    expect(text).toContain('create secret generic bulwark-agent-token');
    expect(text).toContain('defaultMode: 288');
    expect(text).not.toContain('kind: Secret');
  });
});
