import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { isUuid } from '../../platform/input';

// The imported controls' outcomes as the pipeline stored them (evaluate-stored-snapshot.ts); anything else is skipped.
const ImportedOutcomeSchema = z.object({
  controlId: z.string(),
  imported: z.object({ source: z.string(), pass: z.number(), fail: z.number(), warn: z.number(), error: z.number(), skip: z.number() }),
});

export type PolicyReportSummary = {
  /** The engines that wrote the results (Kyverno, …), A→Z. */
  sources: string[];
  policies: number;
  /** One per result and resource, as the engines reported them. */
  results: number;
  pass: number;
  fail: number;
  warn: number;
  error: number;
  skip: number;
};

/**
 * What the cluster's current evaluation imported from PolicyReports (issue 23), or null when it imported nothing
 * (no engine writes them, the agent could not read them, or the cluster was not evaluated yet).
 */
export async function policyReportSummary(ctx: OrgContext, clusterId: string): Promise<PolicyReportSummary | null> {
  authorize(ctx, 'cluster.read');
  if (!isUuid(clusterId)) throw new AppError('not_found', 'Cluster not found');
  const db = dbFor(ctx);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { currentEvaluationId: true } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  if (!cluster.currentEvaluationId) return null;
  const run = await db.evaluationRun.findUnique({ where: { id: cluster.currentEvaluationId }, select: { controlResults: true } });
  const outcomes = Array.isArray(run?.controlResults) ? run.controlResults : [];
  const summary: PolicyReportSummary = { sources: [], policies: 0, results: 0, pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  const sources = new Set<string>();
  for (const raw of outcomes) {
    const parsed = ImportedOutcomeSchema.safeParse(raw);
    if (!parsed.success) continue;
    const { imported } = parsed.data;
    sources.add(imported.source);
    summary.policies += 1;
    for (const key of ['pass', 'fail', 'warn', 'error', 'skip'] as const) summary[key] += imported[key];
  }
  if (summary.policies === 0) return null;
  summary.results = summary.pass + summary.fail + summary.warn + summary.error + summary.skip;
  summary.sources = [...sources].sort();
  return summary;
}
