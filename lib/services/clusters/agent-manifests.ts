import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { z } from 'zod';

/** Where the agent's own manifests live: the same files `kubectl apply -k agent/deploy` applies. */
export const AGENT_DEPLOY_DIR = path.join(process.cwd(), 'agent', 'deploy');
export const AGENT_NAMESPACE = 'bulwark-system';
export const AGENT_TOKEN_SECRET = 'bulwark-agent-token';

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;
const K8sObjectSchema = z.looseObject({ apiVersion: z.string(), kind: z.string(), metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }) });
const KustomizationSchema = z.object({ resources: z.array(z.string().regex(/^[\w.-]+\.ya?ml$/, 'a file of agent/deploy')) });

/**
 * The objects of agent/deploy, in the kustomization's resource order (Namespace first, so `kubectl apply -f`
 * creates it before what lives in it). kustomize itself is not available at runtime; the kustomization only
 * lists files, so reading them in its order gives the same objects (a test compares with `kubectl kustomize`).
 * Parsed as YAML 1.1, as Kubernetes does: `defaultMode: 0440` is octal there.
 */
export function readAgentDeployObjects(dir: string = AGENT_DEPLOY_DIR): K8sObject[] {
  const read = (file: string) => parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'), { version: '1.1' });
  const [kustomization] = read('kustomization.yaml');
  const { resources } = KustomizationSchema.parse(kustomization?.toJS());
  return resources.flatMap((file) => read(file).map((doc) => doc.toJS() as unknown).filter((value) => value !== null)
    .map((value) => K8sObjectSchema.parse(value) as K8sObject));
}

export type AgentManifestOptions = {
  /** Bulwark's public URL (APP_URL): what the agent pushes to. */
  serverUrl: string;
  /** The release image the Deployment runs (AGENT_IMAGE). */
  image: string;
  /** An agent token to put in the Secret; without it, the Secret is left for the operator to create. */
  agentToken?: string;
  /** Named in a comment at the top, so a saved file says what it is for. */
  clusterName: string;
};

/** The agent's manifests for one cluster as one multi-document YAML, ready for `kubectl apply -f`. */
export function renderAgentManifests(options: AgentManifestOptions, objects: K8sObject[] = readAgentDeployObjects()): string {
  const rendered: K8sObject[] = objects.map((object) => structuredClone(object));
  for (const object of rendered) {
    if (object.kind === 'ConfigMap' && object.metadata.name === 'bulwark-agent') object.data = { ...(object.data as Record<string, string>), server: options.serverUrl };
    if (object.kind === 'Deployment' && object.metadata.name === 'bulwark-agent') setAgentImage(object, options.image);
  }
  if (options.agentToken) {
    const namespaceAt = rendered.findIndex((object) => object.kind === 'Namespace');
    rendered.splice(namespaceAt + 1, 0, {
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: AGENT_TOKEN_SECRET, namespace: AGENT_NAMESPACE, labels: { 'app.kubernetes.io/name': 'bulwark-agent', 'app.kubernetes.io/part-of': 'bulwark' } },
      type: 'Opaque',
      stringData: { token: options.agentToken },
    });
  }
  const header = [
    `# Bulwark agent for cluster "${options.clusterName}", reporting to ${options.serverUrl}`,
    options.agentToken
      ? '# Contains an agent token (Secret bulwark-agent-token): keep this file out of version control.'
      : `# Create the token Secret first: kubectl -n ${AGENT_NAMESPACE} create secret generic ${AGENT_TOKEN_SECRET} --from-literal=token=<agent token>`,
  ].join('\n');
  return `${header}\n${rendered.map((object) => stringify(object, { lineWidth: 0 })).join('---\n')}`;
}

function setAgentImage(deployment: K8sObject, image: string): void {
  const spec = deployment.spec as { template?: { spec?: { containers?: { name: string; image?: string }[] } } } | undefined;
  for (const container of spec?.template?.spec?.containers ?? []) if (container.name === 'agent') container.image = image;
}
