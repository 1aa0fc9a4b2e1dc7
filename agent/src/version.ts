/** The agent's version, sent in every snapshot. Bump with the image tag in agent/deploy/kustomization.yaml. */
export const AGENT_VERSION = '0.1.0';
