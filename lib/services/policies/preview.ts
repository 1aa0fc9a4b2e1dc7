import { gunzipSync } from 'node:zlib';
import { compileRule, runRule } from '../../analysis/cel';
import type { Snapshot } from '../../analysis/snapshot/schema';
import type { OrgContext } from '../../platform/auth/context';
import { authorize } from '../../platform/auth/permissions';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { PreviewSchema } from './schemas';

const MAX_LISTED = 200;

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
 * the field, as on save. Runs in this process under the rule's time limits (lib/analysis/cel/run.ts), so one
 * preview costs at most the control's time budget per cluster beyond inflating the snapshot.
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
  const results: PreviewCluster[] = [];
  for (const cluster of clusters) {
    const started = performance.now();
    const row = await db.snapshot.findFirst({
      where: { clusterId: cluster.id, status: 'DONE', body: { not: null } },
      orderBy: { collectedAt: 'desc' },
      omit: { body: false },
    });
    const base = { clusterId: cluster.id, clusterName: cluster.name };
    if (!row?.body) {
      results.push({ ...base, collectedAt: null, evaluated: 0, failing: [], failingTotal: 0, errors: [{ resource: null, message: 'no evaluated snapshot yet' }], notCollected: [], stopped: false, durationMs: 0 });
      continue;
    }
    const snapshot = JSON.parse(gunzipSync(row.body).toString('utf8')) as Snapshot;
    const collection = snapshot.collection as Record<string, { status: string } | undefined>;
    const run = runRule(compiled.rule, {
      objects: snapshot.objects,
      isCollected: (resource) => (snapshot.objects[resource] !== undefined) && (collection[resource]?.status ?? 'collected') === 'collected',
      params,
      includePlatform: false,
    });
    results.push({
      ...base,
      collectedAt: row.collectedAt,
      evaluated: run.evaluated,
      failing: run.violations.slice(0, MAX_LISTED).map((v) => ({ kind: v.ref.kind, namespace: v.ref.namespace, name: v.ref.name, message: v.message })),
      failingTotal: run.violations.length,
      errors: run.errors.slice(0, 50).map((e) => ({ resource: e.ref ? `${e.ref.kind} ${e.ref.namespace ? `${e.ref.namespace}/` : ''}${e.ref.name}` : null, message: e.message })),
      notCollected: run.notCollected,
      stopped: run.stopped,
      durationMs: Math.round(performance.now() - started),
    });
  }
  return results;
}
