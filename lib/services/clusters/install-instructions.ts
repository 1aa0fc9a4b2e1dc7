/** The commands shown once, next to a new agent token: in-cluster install, and the offline push. */
export function installInstructions(appUrl: string, token: string): { inCluster: string; offline: string } {
  return {
    inCluster: [
      '# from a checkout of Bulwark: namespace, least-privilege RBAC and the agent',
      'kubectl apply -k agent/deploy',
      `kubectl -n bulwark-system create secret generic bulwark-agent-token --from-literal=token=${token}`,
      `kubectl -n bulwark-system patch configmap bulwark-agent --type merge -p '{"data":{"server":"${appUrl}"}}'`,
      'kubectl -n bulwark-system rollout restart deployment/bulwark-agent',
    ].join('\n'),
    offline: `BULWARK_AGENT_TOKEN=${token} npm run agent -- push --server ${appUrl} --from-file ./manifests`,
  };
}
