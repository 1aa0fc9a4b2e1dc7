import { z } from 'zod';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { findFramework, FRAMEWORK_IDS, type FrameworkId } from '../../analysis/frameworks';
import { getCisBenchmark } from '../orgs/settings';

/**
 * `framework`: `cis` (or nothing) is the organization's CIS Kubernetes Benchmark version (Settings → Benchmark);
 * a versioned id (cis-k8s-1.9, cis-k8s-1.12) asks for that version, whose scores are recorded too. The answer
 * names the framework and its version. `org:<key>` is one of the organization's own frameworks (issue 23): its score is
 * recorded with every evaluation too (write-scores.ts).
 */
export const ScoresQuerySchema = z.object({
  framework: z.union([
    z.enum(['cis', ...(FRAMEWORK_IDS as [FrameworkId, ...FrameworkId[]])]),
    z.string().regex(/^org:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a framework id, cis, or org:<key> of one of the organization\'s frameworks'),
  ]).default('cis'),
  cluster: z.uuid().optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  granularity: z.enum(['daily', 'evaluation']).default('daily'),
});
export type ScoresQuery = z.input<typeof ScoresQuerySchema>;

/** A framework's score over time, org-wide or for one cluster: the daily rollup, or every evaluation's point. */
export async function listScores(ctx: OrgContext, input: ScoresQuery) {
  authorize(ctx, 'org.read');
  const { framework: asked, ...rest } = parseInput(ScoresQuerySchema, input);
  const cis = await getCisBenchmark(ctx);
  const db = dbFor(ctx);
  const own = asked.startsWith('org:') ? await db.orgFramework.findFirst({ where: { key: asked.slice('org:'.length) }, select: { name: true } }) : null;
  if (asked.startsWith('org:') && !own) throw new AppError('not_found', 'Framework not found');
  const frameworkId: string = asked === 'cis' ? cis.frameworkId : asked;
  const framework = own ? undefined : findFramework(frameworkId as FrameworkId);
  const query = { ...rest, framework: frameworkId };
  // What the points are scores of: the framework with its version, and the organization's own CIS choice.
  const about = { framework: frameworkId, frameworkName: own?.name ?? framework?.name ?? frameworkId, frameworkVersion: framework?.version ?? null, organizationCisVersion: cis.version };
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - 90 * 86_400_000);
  if (from > to) throw new AppError('invalid', '`from` must be before `to`', [{ path: 'from', message: 'after to' }]);
  if (query.cluster && !(await db.cluster.findUnique({ where: { id: query.cluster }, select: { id: true } }))) {
    throw new AppError('not_found', 'Cluster not found');
  }
  if (query.granularity === 'daily') {
    const rows = await db.scoreDaily.findMany({
      where: { scopeKey: query.cluster ?? 'org', frameworkId: query.framework, day: { gte: from, lte: to } },
      orderBy: { day: 'asc' },
    });
    return { ...about, cluster: query.cluster ?? null, points: rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), score: r.score, min: r.minScore, max: r.maxScore, accepted: r.accepted })) };
  }
  const rows = await db.scorePoint.findMany({
    where: { clusterId: query.cluster ?? null, frameworkId: query.framework, at: { gte: from, lte: to } },
    orderBy: { at: 'asc' }, take: 5_000,
  });
  return {
    ...about, cluster: query.cluster ?? null,
    points: rows.map((r) => ({ at: r.at.toISOString(), score: r.score, passed: r.passed, failed: r.failed, accepted: r.accepted, manual: r.manual, notApplicable: r.notApplicable, catalogVersion: r.catalogVersion })),
  };
}
