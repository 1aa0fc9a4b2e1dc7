import type { OrgContext } from '../../platform/auth/context';
import { authorize } from '../../platform/auth/permissions';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { orgFrameworkResultsFor, orgFrameworkScoreId, type OrgRequirementStatus as EngineOrgRequirementStatus } from '../../analysis/engine';
import { FRAMEWORK_ALIASES } from '../../analysis/frameworks';
import { clusterTallies, mergeTallies } from '../scores/control-tallies';
import { ownControlLabels } from '../scores/own-controls';
import { recordOrgFrameworkScore } from '../scores/write-scores';
import { OrgFrameworkSchema } from './schemas';

/** Keys that would read as a catalog framework in a requirement reference (`iso27001-2022:A.8.9`). */
const CATALOG_FRAMEWORK_IDS = new Set(Object.keys(FRAMEWORK_ALIASES));

/** A framework of the organization's own: a named set of requirements that its custom controls map to. Audited. */
export async function createOrgFramework(ctx: OrgContext, input: unknown) {
  authorize(ctx, 'policy.manage');
  const data = parseInput(OrgFrameworkSchema, input);
  if (CATALOG_FRAMEWORK_IDS.has(data.key)) throw new AppError('invalid', 'Key taken', [{ path: 'key', message: `${data.key} is a catalog framework` }]);
  const codes = data.requirements.map((r) => r.code);
  const duplicate = codes.find((code, index) => codes.indexOf(code) !== index);
  if (duplicate) throw new AppError('invalid', 'Duplicate requirement', [{ path: 'requirements', message: `${duplicate} appears twice` }]);
  return dbFor(ctx).$transaction(async (tx) => {
    const existing = await tx.orgFramework.findUnique({ where: { organizationId_key: { organizationId: ctx.organizationId, key: data.key } }, select: { id: true } });
    if (existing) throw new AppError('invalid', 'Key already used', [{ path: 'key', message: `The organization already has a framework with the key ${data.key}` }]);
    const framework = await tx.orgFramework.create({
      data: { organizationId: ctx.organizationId, key: data.key, name: data.name, description: data.description },
      select: { id: true, key: true, name: true },
    });
    await tx.orgRequirement.createMany({
      data: data.requirements.map((r, index) => ({ organizationId: ctx.organizationId, frameworkId: framework.id, code: r.code, title: r.title, sortOrder: index })),
    });
    await writeAudit(tx, ctx, { action: 'org_framework.created', targetType: 'OrgFramework', targetId: framework.id, after: { key: data.key, name: data.name, requirements: codes } });
    // Its score history starts now, from the clusters' current evaluations (each evaluation adds a point).
    await recordOrgFrameworkScore(tx, ctx.organizationId, { key: data.key, requirements: data.requirements }, new Date());
    return framework;
  });
}

export type OrgRequirementStatus = EngineOrgRequirementStatus;
export type OrgControlState = {
  controlId: string;
  title: string;
  /** The versions that produced the result (one per cluster's evaluation that ran it; several while they differ). */
  versions: number[];
  status: 'pass' | 'fail' | 'not_applicable' | 'accepted';
  openFindings: number;
};
export type OrgRequirementResult = { code: string; title: string; status: OrgRequirementStatus; reason: string | null; controls: OrgControlState[] };
export type OrgFrameworkScore = { score: number; passed: number; failed: number; notApplicable: number; manual: number; accepted: number };

/**
 * Each requirement's status over the organization's active clusters by the rule of every score (scores/write-scores.ts,
 * analysis/engine orgFrameworkResultsFor): the custom controls each cluster's current evaluation ran, with the
 * requirements their evaluated version mapped them to; a control fails while it has an open (or acknowledged)
 * finding on any of those clusters; risk-accepted findings pass it "by acceptance".
 */
async function resultsFor(tx: TenantTx, framework: { key: string; requirements: { code: string; title: string }[] }) {
  const clusters = await tx.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true, currentEvaluationId: true } });
  const perCluster = [];
  for (const cluster of clusters) perCluster.push(await clusterTallies(tx, cluster.id, cluster.currentEvaluationId!));
  const merged = mergeTallies(perCluster);
  const { requirements: results, score } = orgFrameworkResultsFor(framework, merged);
  const labels = await ownControlLabels(tx, merged);
  const byControl = new Map(merged.map((tally) => [tally.controlId, tally]));
  const requirements: OrgRequirementResult[] = framework.requirements.map((requirement, index) => {
    const result = results[index]!;
    return {
      code: requirement.code, title: requirement.title, status: result.status, reason: result.reason ?? null,
      controls: result.controlIds.map((controlId) => {
        const tally = byControl.get(controlId);
        const status = result.failingControlIds.includes(controlId) ? 'fail' as const
          : result.acceptedControlIds.includes(controlId) ? 'accepted' as const
            : tally?.status === 'pass' || tally?.status === 'fail' ? 'pass' as const : 'not_applicable' as const;
        return { controlId, title: labels.get(controlId)?.title ?? controlId, versions: labels.get(controlId)?.versions ?? [], status, openFindings: tally?.openFindings ?? 0 };
      }),
    };
  });
  const { frameworkId: _id, ...figures } = score;
  return { requirements, score: figures satisfies OrgFrameworkScore };
}

/** The organization's frameworks, each with its current score over the active clusters. */
export async function listOrgFrameworks(ctx: OrgContext) {
  authorize(ctx, 'policy.read');
  return dbFor(ctx).$transaction(async (tx) => {
    const frameworks = await tx.orgFramework.findMany({
      orderBy: { name: 'asc' },
      select: { id: true, key: true, name: true, description: true, requirements: { orderBy: { sortOrder: 'asc' }, select: { code: true, title: true } } },
    });
    const since = new Date(Date.now() - TREND_DAYS * 86_400_000);
    const daily = frameworks.length
      ? await tx.scoreDaily.findMany({ where: { scopeKey: 'org', frameworkId: { in: frameworks.map((f) => orgFrameworkScoreId(f.key)) }, day: { gte: since } }, orderBy: { day: 'asc' }, select: { frameworkId: true, day: true, score: true } })
      : [];
    const out = [];
    for (const framework of frameworks) {
      const scoreId = orgFrameworkScoreId(framework.key);
      // The recorded history (a point with every evaluation, scores/write-scores.ts), for the chart.
      const trend = daily.filter((row) => row.frameworkId === scoreId).map((row) => ({ day: row.day.toISOString().slice(0, 10), score: row.score }));
      out.push({ ...framework, scoreId, trend, ...(await resultsFor(tx, framework)) });
    }
    return out;
  });
}
const TREND_DAYS = 90;
export type OrgFrameworkView = Awaited<ReturnType<typeof listOrgFrameworks>>[number];

/** One framework with each requirement's status and controls (the v1 API and the report). */
export async function getOrgFramework(ctx: OrgContext, frameworkId: string) {
  authorize(ctx, 'policy.read');
  if (!isUuid(frameworkId)) throw new AppError('not_found', 'Framework not found');
  return dbFor(ctx).$transaction(async (tx) => {
    const framework = await tx.orgFramework.findUnique({
      where: { id: frameworkId },
      select: { id: true, key: true, name: true, description: true, requirements: { orderBy: { sortOrder: 'asc' }, select: { code: true, title: true } } },
    });
    if (!framework) throw new AppError('not_found', 'Framework not found');
    return { ...framework, scoreId: orgFrameworkScoreId(framework.key), ...(await resultsFor(tx, framework)) };
  });
}

/** The organization's frameworks as report and chart choices: `org:<key>` and the name (no results computed). */
export async function orgFrameworkChoices(ctx: OrgContext): Promise<{ id: string; label: string }[]> {
  authorize(ctx, 'policy.read');
  const frameworks = await dbFor(ctx).orgFramework.findMany({ orderBy: { name: 'asc' }, select: { key: true, name: true } });
  return frameworks.map((framework) => ({ id: orgFrameworkScoreId(framework.key), label: `${framework.name} (your framework)` }));
}
