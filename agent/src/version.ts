/** The agent's version, sent in every snapshot. Bump it with the image tag in agent/deploy/deployment.yaml. */
export const AGENT_VERSION = '0.1.0';
