import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 that answers like a Kubernetes API server for the paths the agent
 * reads: List JSON at the REST paths (items without kind, as the API sends them), `limit`/`continue`
 * paging, PartialObjectMetadataList on request, 401/403 Status bodies, and a log of every request.
 */

type Json = Record<string, unknown>;

// The real REST paths, written out here rather than imported from the agent, so a wrong path in the agent
// fails the tests instead of agreeing with itself.
const LISTS: Record<string, { kind: string; apiVersion: string; resource: string; group: string }> = {
  '/api/v1/namespaces': { kind: 'NamespaceList', apiVersion: 'v1', resource: 'namespaces', group: '' },
  '/api/v1/nodes': { kind: 'NodeList', apiVersion: 'v1', resource: 'nodes', group: '' },
  '/api/v1/pods': { kind: 'PodList', apiVersion: 'v1', resource: 'pods', group: '' },
  '/api/v1/replicationcontrollers': { kind: 'ReplicationControllerList', apiVersion: 'v1', resource: 'replicationcontrollers', group: '' },
  '/api/v1/serviceaccounts': { kind: 'ServiceAccountList', apiVersion: 'v1', resource: 'serviceaccounts', group: '' },
  '/api/v1/services': { kind: 'ServiceList', apiVersion: 'v1', resource: 'services', group: '' },
  '/api/v1/secrets': { kind: 'SecretList', apiVersion: 'v1', resource: 'secrets', group: '' },
  '/api/v1/configmaps': { kind: 'ConfigMapList', apiVersion: 'v1', resource: 'configmaps', group: '' },
  '/apis/apps/v1/deployments': { kind: 'DeploymentList', apiVersion: 'apps/v1', resource: 'deployments', group: 'apps' },
  '/apis/apps/v1/replicasets': { kind: 'ReplicaSetList', apiVersion: 'apps/v1', resource: 'replicasets', group: 'apps' },
  '/apis/apps/v1/statefulsets': { kind: 'StatefulSetList', apiVersion: 'apps/v1', resource: 'statefulsets', group: 'apps' },
  '/apis/apps/v1/daemonsets': { kind: 'DaemonSetList', apiVersion: 'apps/v1', resource: 'daemonsets', group: 'apps' },
  '/apis/batch/v1/jobs': { kind: 'JobList', apiVersion: 'batch/v1', resource: 'jobs', group: 'batch' },
  '/apis/batch/v1/cronjobs': { kind: 'CronJobList', apiVersion: 'batch/v1', resource: 'cronjobs', group: 'batch' },
  '/apis/rbac.authorization.k8s.io/v1/roles': { kind: 'RoleList', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'roles', group: 'rbac.authorization.k8s.io' },
  '/apis/rbac.authorization.k8s.io/v1/clusterroles': { kind: 'ClusterRoleList', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterroles', group: 'rbac.authorization.k8s.io' },
  '/apis/rbac.authorization.k8s.io/v1/rolebindings': { kind: 'RoleBindingList', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'rolebindings', group: 'rbac.authorization.k8s.io' },
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': { kind: 'ClusterRoleBindingList', apiVersion: 'rbac.authorization.k8s.io/v1', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io' },
  '/apis/networking.k8s.io/v1/networkpolicies': { kind: 'NetworkPolicyList', apiVersion: 'networking.k8s.io/v1', resource: 'networkpolicies', group: 'networking.k8s.io' },
  '/apis/networking.k8s.io/v1/ingresses': { kind: 'IngressList', apiVersion: 'networking.k8s.io/v1', resource: 'ingresses', group: 'networking.k8s.io' },
  // Served by Kubernetes 1.30+ (admissionregistration.k8s.io/v1), and by CRDs only when `installed` names their group.
  '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies': { kind: 'ValidatingAdmissionPolicyList', apiVersion: 'admissionregistration.k8s.io/v1', resource: 'validatingadmissionpolicies', group: 'admissionregistration.k8s.io' },
  '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings': { kind: 'ValidatingAdmissionPolicyBindingList', apiVersion: 'admissionregistration.k8s.io/v1', resource: 'validatingadmissionpolicybindings', group: 'admissionregistration.k8s.io' },
  '/apis/kyverno.io/v1/clusterpolicies': { kind: 'ClusterPolicyList', apiVersion: 'kyverno.io/v1', resource: 'clusterpolicies', group: 'kyverno.io' },
  '/apis/kyverno.io/v1/policies': { kind: 'PolicyList', apiVersion: 'kyverno.io/v1', resource: 'policies', group: 'kyverno.io' },
  '/apis/wgpolicyk8s.io/v1alpha2/policyreports': { kind: 'PolicyReportList', apiVersion: 'wgpolicyk8s.io/v1alpha2', resource: 'policyreports', group: 'wgpolicyk8s.io' },
  '/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports': { kind: 'ClusterPolicyReportList', apiVersion: 'wgpolicyk8s.io/v1alpha2', resource: 'clusterpolicyreports', group: 'wgpolicyk8s.io' },
};
const CRD_GROUPS = ['kyverno.io', 'wgpolicyk8s.io', 'constraints.gatekeeper.sh'];
const GATEKEEPER = '/apis/constraints.gatekeeper.sh/v1beta1';

export type RecordedRequest = { method: string; path: string; query: Record<string, string>; accept?: string; authorization?: string };

export type FakeApiServerOptions = {
  /** Items served at a list path, e.g. `{ '/api/v1/pods': [...] }`; other known lists are empty. */
  lists?: Record<string, Json[]>;
  /** List paths answered with 403 Forbidden. */
  forbidden?: string[];
  /** List paths whose first `continue` request is answered 410 Gone (an expired continue token). */
  expireContinueOnce?: string[];
  /** When set, requests without `Authorization: Bearer <token>` get 401. */
  token?: string;
  kubeSystemUid?: string;
  gitVersion?: string;
  /** CRD groups installed (kyverno.io, wgpolicyk8s.io, constraints.gatekeeper.sh); the others answer 404. */
  installed?: string[];
  /** Gatekeeper constraints by plural resource (one per constraint template), served when constraints.gatekeeper.sh is installed. */
  gatekeeperConstraints?: Record<string, { kind: string; items: Json[] }>;
  /** Serve full objects even when PartialObjectMetadataList is asked for, like a server that ignores it. */
  ignorePartialMetadata?: boolean;
};

export type FakeApiServer = {
  url: string;
  requests: RecordedRequest[];
  /** A kubeconfig (YAML) for this server: plain http needs insecure-skip-tls-verify. */
  kubeconfig(token?: string): string;
  close(): Promise<void>;
};

const PARTIAL = /(?:^|[;,\s])as=PartialObjectMetadataList(?:[;,\s]|$)/;

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const expired = new Set<string>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const accept = req.headers.accept;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), accept, authorization: req.headers.authorization });

    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname === '/version') {
      return json(res, { major: '1', minor: '30', gitVersion: options.gitVersion ?? 'v1.30.2', platform: 'linux/amd64' });
    }
    if (url.pathname === '/api/v1/namespaces/kube-system') {
      return json(res, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'kube-system', uid: options.kubeSystemUid ?? 'c0ffee00-0000-4000-8000-000000000001' } });
    }
    const gatekeeper = options.installed?.includes('constraints.gatekeeper.sh') ? (options.gatekeeperConstraints ?? {}) : undefined;
    if (gatekeeper && url.pathname === GATEKEEPER) {
      return json(res, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'constraints.gatekeeper.sh/v1beta1',
        resources: Object.entries(gatekeeper).flatMap(([name, { kind }]) => [
          { name, singularName: '', namespaced: false, kind, verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], categories: ['constraint', 'constraints'] },
          { name: `${name}/status`, singularName: '', namespaced: false, kind, verbs: ['get', 'patch', 'update'] },
        ]),
      });
    }
    const constraint = gatekeeper && url.pathname.startsWith(`${GATEKEEPER}/`) ? gatekeeper[url.pathname.slice(GATEKEEPER.length + 1)] : undefined;
    const list = LISTS[url.pathname] ?? (constraint ? { kind: `${constraint.kind}List`, apiVersion: 'constraints.gatekeeper.sh/v1beta1', resource: url.pathname.slice(GATEKEEPER.length + 1), group: 'constraints.gatekeeper.sh' } : undefined);
    if (!list || (CRD_GROUPS.includes(list.group) && !options.installed?.includes(list.group))) {
      return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    }
    if (options.forbidden?.includes(url.pathname)) {
      const scope = list.group === '' ? '""' : `"${list.group}"`;
      return status(res, 403, 'Forbidden', `${list.resource} is forbidden: User "system:serviceaccount:bulwark-system:bulwark-agent" cannot list resource "${list.resource}" in API group ${scope} at the cluster scope`);
    }

    const items = constraint?.items ?? options.lists?.[url.pathname] ?? [];
    const continueToken = url.searchParams.get('continue');
    if (continueToken && options.expireContinueOnce?.includes(url.pathname) && !expired.has(url.pathname)) {
      expired.add(url.pathname);
      return status(res, 410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.');
    }
    const offset = continueToken ? (JSON.parse(Buffer.from(continueToken, 'base64url').toString()) as { offset: number }).offset : 0;
    const limit = Number(url.searchParams.get('limit') ?? '0') || items.length || 1;
    const page = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url') : undefined;
    const metadata = { resourceVersion: '1000', ...(next ? { continue: next, remainingItemCount: items.length - offset - limit } : {}) };

    if (accept && PARTIAL.test(accept) && !options.ignorePartialMetadata) {
      return json(res, {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: page.map((item) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata })),
      });
    }
    // Items of a real List response carry no kind or apiVersion of their own.
    return json(res, { kind: list.kind, apiVersion: list.apiVersion, metadata, items: page.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest) });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    kubeconfig: (token = options.token ?? 'agent-test-token') =>
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: fake-cluster',
        '  cluster:',
        `    server: ${url}`,
        '    insecure-skip-tls-verify: true',
        'users:',
        '- name: agent',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: fake',
        '  context:',
        '    cluster: fake-cluster',
        '    user: agent',
        'current-context: fake',
        '',
      ].join('\n'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
