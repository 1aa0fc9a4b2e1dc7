import { buildSnapshot, type BuildSnapshotResult } from '@/lib/analysis/snapshot/build';
import { collectCluster } from './collect';
import { KubeClient } from './kube-client';
import { loadKubeConfig } from './kube-config';
import type { Logger } from './log';
import { readManifestPaths } from './offline';
import { AGENT_VERSION } from './version';

export type SnapshotMakerOptions = {
  /** Manifest files or directories: offline mode. Without them the agent reads the cluster. */
  fromFiles?: string[];
  kubeconfig?: string;
  context?: string;
  clusterName?: string;
  includeSecrets: boolean;
  pageSize?: number;
  requestTimeoutMs?: number;
  env?: Record<string, string | undefined>;
  log: Logger;
  now?: () => Date;
};

type Json = Record<string, unknown>;
const isSecret = (object: unknown) => typeof object === 'object' && object !== null && (object as Json).kind === 'Secret';

/**
 * Returns a function that makes one snapshot each time it is called. Configuration problems (kubeconfig,
 * context) surface here, once, as a UsageError, before any schedule starts.
 */
export function createSnapshotMaker(options: SnapshotMakerOptions): () => Promise<BuildSnapshotResult> {
  const now = options.now ?? (() => new Date());
  const report = (result: BuildSnapshotResult): BuildSnapshotResult => {
    for (const skipped of result.skipped) options.log.warn('object skipped', skipped);
    const counts = Object.fromEntries(Object.entries(result.snapshot.objects).map(([resource, list]) => [resource, list.length]));
    options.log.info('snapshot built', { mode: result.snapshot.agent.mode, cluster: result.snapshot.cluster.name, ...counts });
    return result;
  };

  const { fromFiles } = options;
  if (fromFiles && fromFiles.length > 0) {
    return async () => {
      const manifests = (await readManifestPaths(fromFiles)).filter((object) => options.includeSecrets || !isSecret(object));
      const name = options.clusterName ?? 'offline';
      return report(
        buildSnapshot({
          objects: manifests,
          cluster: { uid: `offline:${name}`, name, provider: 'offline' },
          collectedAt: now(),
          agentVersion: AGENT_VERSION,
          mode: 'offline',
          collection: options.includeSecrets ? undefined : { secrets: { status: 'disabled', count: 0 } },
        }),
      );
    };
  }

  const loaded = loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context, env: options.env });
  const client = new KubeClient(loaded.kc, options.requestTimeoutMs);
  options.log.info('reading cluster', { mode: loaded.mode, server: client.server, includeSecrets: options.includeSecrets });
  return async () => {
    const collectedAt = now();
    const collected = await collectCluster(client, {
      includeSecrets: options.includeSecrets,
      clusterName: options.clusterName ?? (loaded.mode === 'kubeconfig' ? loaded.clusterName : undefined),
      pageSize: options.pageSize,
      log: options.log,
    });
    return report(buildSnapshot({ ...collected, collectedAt, agentVersion: AGENT_VERSION, mode: loaded.mode }));
  };
}
