import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from './errors';

export type KubeMode = 'in-cluster' | 'kubeconfig';
export type LoadedKubeConfig = { kc: KubeConfig; mode: KubeMode; clusterName: string };

export type KubeConfigOptions = {
  /** --kubeconfig; otherwise the first file in $KUBECONFIG, then ~/.kube/config, then the pod's service account. */
  kubeconfig?: string;
  context?: string;
  env?: Record<string, string | undefined>;
};

/**
 * Finds the cluster to read. Unlike client-node's loadFromDefault, it never falls back to
 * http://localhost:8080: a missing or broken configuration is a UsageError that names what was tried.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const explicit = options.kubeconfig ?? env.KUBECONFIG?.split(path.delimiter).find((file) => file.length > 0);
  const homeConfig = path.join(env.HOME ?? homedir(), '.kube', 'config');
  const file = explicit ?? (existsSync(homeConfig) ? homeConfig : undefined);
  let mode: KubeMode;

  if (file) {
    if (!existsSync(file)) throw new UsageError(`kubeconfig ${file} does not exist`);
    try {
      kc.loadFromFile(file);
    } catch (error) {
      throw new UsageError(`kubeconfig ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`);
    }
    mode = 'kubeconfig';
  } else if (env.KUBERNETES_SERVICE_HOST) {
    try {
      kc.loadFromCluster();
    } catch (error) {
      throw new UsageError(`in-cluster configuration cannot be read: ${(error as Error).message}`);
    }
    mode = 'in-cluster';
  } else {
    throw new UsageError('no cluster to read: pass --kubeconfig, set KUBECONFIG, or run the agent inside the cluster');
  }

  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new UsageError(`context "${options.context}" is not in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new UsageError('the kubeconfig has no current context with a cluster server; pass --context');
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    throw new UsageError(`cluster ${cluster.name} uses plain http; that needs insecure-skip-tls-verify: true in the kubeconfig`);
  }
  return { kc, mode, clusterName: cluster.name };
}
