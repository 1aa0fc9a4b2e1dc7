import { compileRule } from '../../analysis/cel';
import type { OrgContext } from '../../platform/auth/context';
import { authorize } from '../../platform/auth/permissions';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { previewPool } from './preview-pool';
import { PreviewSchema } from './schemas';

export type PreviewCluster = {
  clusterId: string;
  clusterName: string;
  collectedAt: Date | null;
  evaluated: number;
  failing: { kind: string; namespace: string | null; name: string; message: string }[];
  /** More objects failed than are listed. */
  failingTotal: number;
  errors: { resource: string | null; message: string }[];
  notCollected: string[];
  stopped: boolean;
  durationMs: number;
};

/** The params custom controls read (Settings → Organization: the approved registries). */
export async function organizationParams(ctx: OrgContext): Promise<Record<string, unknown>> {
  const org = await dbFor(ctx).organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { allowedRegistries: true } });
  return { allowedRegistries: org.allowedRegistries };
}

/**
 * Runs a draft rule against the latest evaluated snapshot of each chosen cluster (every active cluster when none
 * is chosen) and answers which objects fail and why. Stores nothing. A rule that does not compile is a 400 naming
 * the field, as on save. The work (inflate, parse, run) happens in the preview pool's threads (preview-pool.ts), one
 * cluster at a time, never on this process's event loop: one preview per organization at a time (429 with
 * Retry-After), 503 with Retry-After when the pool is full; a cluster whose preview exceeds the pool's time or
 * memory limit is stopped and its result says why (`stopped`, an error), the other clusters' results stand.
 */
export async function previewRule(ctx: OrgContext, input: unknown): Promise<PreviewCluster[]> {
  authorize(ctx, 'policy.manage');
  const data = parseInput(PreviewSchema, input);
  const compiled = compileRule(data.rule);
  if (!compiled.ok) {
    throw new AppError('invalid', 'The rule does not compile', compiled.errors.map((error) => ({
      path: `rule.${error.field}`,
      message: error.position ? `${error.message} (line ${error.position.line}, column ${error.position.column})` : error.message,
    })));
  }
  const db = dbFor(ctx);
  const clusters = await db.cluster.findMany({
    where: data.clusterIds.length > 0 ? { id: { in: data.clusterIds } } : { archivedAt: null, currentEvaluationId: { not: null } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 20,
  });
  if (data.clusterIds.length > 0 && clusters.length !== new Set(data.clusterIds).size) throw new AppError('not_found', 'Cluster not found');
  const params = await organizationParams(ctx);
  const pool = previewPool();
  return pool.exclusive(ctx.organizationId, async () => {
    const results: PreviewCluster[] = [];
    for (const cluster of clusters) {
      const started = performance.now();
      const row = await db.snapshot.findFirst({
        where: { clusterId: cluster.id, status: 'DONE', body: { not: null } },
        orderBy: { collectedAt: 'desc' },
        select: { collectedAt: true, body: true },
      });
      const base = { clusterId: cluster.id, clusterName: cluster.name };
      if (!row?.body) {
        results.push({ ...base, collectedAt: null, evaluated: 0, failing: [], failingTotal: 0, errors: [{ resource: null, message: 'no evaluated snapshot yet' }], notCollected: [], stopped: false, durationMs: 0 });
        continue;
      }
      const outcome = await pool.run({ organizationId: ctx.organizationId, rule: data.rule, params, body: row.body });
      const durationMs = Math.round(performance.now() - started);
      results.push(outcome.ok
        ? { ...base, collectedAt: row.collectedAt, ...outcome.result, durationMs }
        : { ...base, collectedAt: row.collectedAt, evaluated: 0, failing: [], failingTotal: 0, errors: [{ resource: null, message: outcome.reason }], notCollected: [], stopped: true, durationMs });
    }
    return results;
  });
}
