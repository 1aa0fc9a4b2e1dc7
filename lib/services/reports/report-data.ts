import type { OrgContext } from '../../platform/auth/context';
import { campaignsForReport } from '../reviews/evidence';
import { dbFor, type TenantDb } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { CATALOG_VERSION, findControl } from '../../analysis/controls/catalog';
import { findFramework, listRequirementControls, type FrameworkId } from '../../analysis/frameworks';
import { ORG_FRAMEWORK_PREFIX, orgFrameworkResultsFor, requirementResultsFor, type ControlOutcome } from '../../analysis/engine';
import { complianceStatus, describeCoverage, summarizeCompliance, type AutomatedResult } from '../../analysis/frameworks/compliance-status';
import { mergeTallies, type VersionedTally } from '../scores/control-tallies';
import { ownControlLabels, type OwnControlLabel } from '../scores/own-controls';
import { automatedResultOf } from '../soa/statuses';
import { getCisBenchmark } from '../orgs/settings';
import { isCisFrameworkId } from '../../analysis/frameworks/cis-versions';
import { createPeople } from './people';
import { complianceAt } from './report-soa';
import { countFindings, createFindingPages, type FindingTotals } from './report-findings';
import type {
  ReportCluster, ReportControlOutcome, ReportData, ReportException, ReportOwnControl, ReportRequirement, ReportRiskAcceptance, ReportSeverity, ScoreFigures, TrendSeries,
} from './render/types';

export type ReportRequest = {
  id: string;
  frameworkId: string;
  periodStart: Date;
  periodEnd: Date;
  clusterIds: string[];
  requestedById: string | null;
};

type ClusterInScope = ReportCluster & { controlResults: ControlOutcome[] };

const DEFAULT_DUE_DAYS: Record<ReportSeverity, number> = { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 };
const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
const figuresOf = (point: { score: number; passed: number; failed: number; notApplicable: number; manual: number; accepted: number }): ScoreFigures => ({
  score: point.score, passed: point.passed, failed: point.failed, notApplicable: point.notApplicable, manual: point.manual, accepted: point.accepted,
});

/** The clusters the report covers, each with its latest evaluation started at or before the period end. */
async function clustersInScope(db: TenantDb, request: ReportRequest): Promise<ClusterInScope[]> {
  const clusters = await db.cluster.findMany({
    // "All clusters" leaves out a cluster archived before the period ended; naming it explicitly still reports it.
    where: request.clusterIds.length > 0 ? { id: { in: request.clusterIds } } : { OR: [{ archivedAt: null }, { archivedAt: { gt: request.periodEnd } }] },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, reportingIntervalSeconds: true },
  });
  return Promise.all(clusters.map(async (cluster) => {
    const evaluation = await db.evaluationRun.findFirst({
      where: { clusterId: cluster.id, startedAt: { lte: request.periodEnd } },
      orderBy: { startedAt: 'desc' },
      select: { id: true, startedAt: true, catalogVersion: true, controlResults: true, snapshot: { select: { collectedAt: true } } },
    });
    return {
      ...cluster,
      evaluation: evaluation
        ? { id: evaluation.id, evaluatedAt: evaluation.startedAt.toISOString(), collectedAt: evaluation.snapshot.collectedAt.toISOString(), catalogVersion: evaluation.catalogVersion }
        : null,
      controlResults: (evaluation?.controlResults ?? []) as ControlOutcome[],
    };
  }));
}

/**
 * Control tallies at the period end: the evaluation's outcome with finding counts rebuilt for that moment. A custom
 * control keeps the requirements and the version its evaluation recorded.
 */
function talliesAt(cluster: ClusterInScope, totals: FindingTotals): VersionedTally[] {
  const counts = totals.byClusterControl.get(cluster.id);
  return cluster.controlResults.map((outcome) => ({
    controlId: outcome.controlId, status: outcome.status, reason: outcome.reason,
    openFindings: counts?.get(outcome.controlId)?.open ?? 0,
    acceptedFindings: counts?.get(outcome.controlId)?.accepted ?? 0,
    ...(outcome.requirementIds?.length ? { requirementIds: outcome.requirementIds } : {}),
    ...(outcome.controlVersion !== undefined ? { controlVersions: [outcome.controlVersion] } : {}),
  }));
}

/** The organization's own controls behind a requirement, as the report names them (title, versions, result). */
function ownControlsOf(result: { controlIds: string[]; failingControlIds: string[]; acceptedControlIds: string[] }, labels: ReadonlyMap<string, OwnControlLabel>, merged: ReadonlyMap<string, VersionedTally>): ReportOwnControl[] {
  return result.controlIds.flatMap((id) => {
    const label = labels.get(id);
    if (!label) return [];
    const tally = merged.get(id);
    const status = result.failingControlIds.includes(id) ? 'fail' as const
      : result.acceptedControlIds.includes(id) ? 'accepted' as const
        : tally?.status === 'pass' || tally?.status === 'fail' ? 'pass' as const : 'not_applicable' as const;
    return [{ id, title: label.title, versions: label.versions, status }];
  });
}

type OwnFramework = { key: string; name: string; description: string; requirements: { code: string; title: string }[] };

/** The organization framework a report of `org:<key>` is for (not found: 404, as for any id of another organization). */
async function ownFrameworkOf(db: TenantDb, frameworkId: string): Promise<OwnFramework> {
  const framework = await db.orgFramework.findFirst({
    where: { key: frameworkId.slice(ORG_FRAMEWORK_PREFIX.length) },
    select: { key: true, name: true, description: true, requirements: { orderBy: { sortOrder: 'asc' }, select: { code: true, title: true } } },
  });
  if (!framework) throw new AppError('not_found', `Framework ${frameworkId} not found`);
  return framework;
}

async function scoresAt(db: TenantDb, request: ReportRequest, clusters: ClusterInScope[], allClusters: boolean, computed: ScoreFigures) {
  const pointAt = (clusterId: string | null) => db.scorePoint.findFirst({
    where: { frameworkId: request.frameworkId, clusterId, at: { lte: request.periodEnd } },
    orderBy: { at: 'desc' },
  });
  const orgPoint = allClusters ? await pointAt(null) : null;
  const byCluster = await Promise.all(clusters.map(async (cluster) => {
    const point = await pointAt(cluster.id);
    return { clusterId: cluster.id, clusterName: cluster.name, score: point ? figuresOf(point) : null, at: point?.at.toISOString() ?? null };
  }));
  const headline = orgPoint
    ? { ...figuresOf(orgPoint), source: 'score-point' as const, at: orgPoint.at.toISOString() }
    : { ...figuresOf(computed), source: 'computed' as const, at: request.periodEnd.toISOString() };
  return { headline, byCluster };
}

/**
 * Daily scores within the period (organization-wide, or per cluster). The daily rollup keeps a day's last
 * score, which for the end day may be later than the period end; that day shows the score at the end instead.
 */
async function trendOf(db: TenantDb, request: ReportRequest, clusters: ClusterInScope[], allClusters: boolean, scores: Awaited<ReturnType<typeof scoresAt>>): Promise<TrendSeries[]> {
  const scopes = allClusters
    ? [{ key: 'org', label: 'Organization', atEnd: scores.headline.source === 'score-point' ? scores.headline.score : null }]
    : clusters.map((cluster) => ({ key: cluster.id, label: cluster.name, atEnd: scores.byCluster.find((s) => s.clusterId === cluster.id)?.score?.score ?? null }));
  const startDay = new Date(`${dayOf(request.periodStart)}T00:00:00Z`);
  const endDay = new Date(`${dayOf(request.periodEnd)}T00:00:00Z`);
  return Promise.all(scopes.map(async (scope) => {
    const rows = await db.scoreDaily.findMany({
      where: { scopeKey: scope.key, frameworkId: request.frameworkId, day: { gte: startDay, lte: endDay } },
      orderBy: { day: 'asc' },
      select: { day: true, score: true, minScore: true, maxScore: true },
    });
    const points = rows.map((row) => ({ day: dayOf(row.day), score: row.score, minScore: row.minScore, maxScore: row.maxScore }));
    const last = points.at(-1);
    if (last && last.day === dayOf(request.periodEnd) && scope.atEnd !== null) last.score = scope.atEnd;
    return { label: scope.label, points };
  }));
}

/** Approved before the period end and not expired by then. A revoked one counts only if it was revoked later. */
async function riskAcceptancesAt(db: TenantDb, request: ReportRequest, clusters: Map<string, string>, people: ReturnType<typeof createPeople>): Promise<ReportRiskAcceptance[]> {
  const rows = await db.riskAcceptance.findMany({
    where: {
      status: { in: ['APPROVED', 'EXPIRED', 'REVOKED'] }, decidedAt: { lte: request.periodEnd }, expiresAt: { gt: request.periodEnd },
      finding: { clusterId: { in: [...clusters.keys()] }, firstSeenAt: { lte: request.periodEnd } },
    },
    orderBy: { decidedAt: 'asc' },
    include: { finding: { select: { clusterId: true, controlId: true, severity: true, resourceKind: true, resourceNamespace: true, resourceName: true } } },
  });
  const revoked = rows.filter((row) => row.status === 'REVOKED');
  const revokedLater = new Set<string>();
  if (revoked.length > 0) {
    const events = await db.findingEvent.findMany({ where: { findingId: { in: revoked.map((row) => row.findingId) }, type: 'risk_revoked', createdAt: { gt: request.periodEnd } }, select: { data: true } });
    for (const event of events) {
      const id = (event.data as { riskAcceptanceId?: unknown } | null)?.riskAcceptanceId;
      if (typeof id === 'string') revokedLater.add(id);
    }
  }
  const active = rows.filter((row) => row.status !== 'REVOKED' || revokedLater.has(row.id));
  await people.load(active.flatMap((row) => [row.requestedById, row.decidedById]));
  return active.map((row) => ({
    id: row.id, findingId: row.findingId, controlId: row.finding.controlId, severity: row.finding.severity,
    resource: `${row.finding.resourceNamespace ?? '(cluster)'} / ${row.finding.resourceKind} ${row.finding.resourceName}`,
    clusterName: clusters.get(row.finding.clusterId) ?? row.finding.clusterId,
    justification: row.justification, requestedBy: people.user(row.requestedById), approvedBy: people.user(row.decidedById, 'not recorded'),
    approvedAt: row.decidedAt?.toISOString() ?? null, decisionNote: row.decisionNote, expiresAt: row.expiresAt.toISOString(),
  }));
}

async function exceptionsAt(db: TenantDb, request: ReportRequest, clusters: Map<string, string>, people: ReturnType<typeof createPeople>): Promise<ReportException[]> {
  const rows = await db.findingException.findMany({
    // In force at the period's end: approved by then (resource exceptions are approved when created).
    where: {
      status: 'APPROVED', createdAt: { lte: request.periodEnd }, expiresAt: { gt: request.periodEnd },
      OR: [{ decidedAt: null }, { decidedAt: { lte: request.periodEnd } }],
      AND: [{ OR: [{ clusterId: null }, { clusterId: { in: [...clusters.keys()] } }] }],
    },
    orderBy: { createdAt: 'asc' },
  });
  await people.load(rows.map((row) => row.createdById));
  return rows.map((row) => ({
    id: row.id, controlId: row.controlId, scope: row.scope,
    target: [row.clusterId ? clusters.get(row.clusterId) ?? row.clusterId : 'every cluster', row.namespace, row.resourceKind && row.resourceName ? `${row.resourceKind} ${row.resourceName}` : null].filter(Boolean).join(' / '),
    reason: row.reason, createdBy: people.user(row.createdById), createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString(),
  }));
}

/**
 * Everything a report shows, as of the report's period end (never "now"): the clusters in scope and the
 * evaluation each had then, findings with the status they had then, requirement results from those, scores
 * and trend from the score history, active risk acceptances and exceptions, and the manual requirements.
 * Findings stay a paged source (`findings`); `onRowsRead` hears about every page read (of `totalRows` per pass).
 */
export async function loadReportData(
  ctx: OrgContext,
  request: ReportRequest,
  options: { onRowsRead?: (rows: number, totalRows: number) => Promise<void> | void; generatedAt?: Date } = {},
): Promise<ReportData> {
  const db = dbFor(ctx);
  // A catalog framework, or the organization's own (`org:<key>`, issue 23): decided by its custom controls only.
  const own = request.frameworkId.startsWith(ORG_FRAMEWORK_PREFIX) ? await ownFrameworkOf(db, request.frameworkId) : null;
  const framework = own ? null : findFramework(request.frameworkId as FrameworkId);
  if (!own && !framework) throw new AppError('invalid', `Unknown framework ${request.frameworkId}`);
  const people = createPeople(db);
  const organization = await db.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { name: true, slug: true, dueDays: true } });
  const clusters = await clustersInScope(db, request);
  const clusterNames = new Map(clusters.map((cluster) => [cluster.id, cluster.name]));
  const allClusters = request.clusterIds.length === 0;
  const controlTitles = new Map((await db.control.findMany({ select: { id: true, title: true } })).map((control) => [control.id, control.title]));
  // An organization framework's report is about its own controls: the ones the evaluations ran mapped to it.
  const ownControlIds = own
    ? [...new Set(clusters.flatMap((cluster) => cluster.controlResults.filter((o) => o.requirementIds?.some((ref) => ref.startsWith(`${own.key}:`))).map((o) => o.controlId)))]
    : undefined;

  const totalRows = clusters.length === 0 ? 0 : await db.finding.count({
    where: { clusterId: { in: [...clusterNames.keys()] }, firstSeenAt: { lte: request.periodEnd }, ...(ownControlIds ? { controlId: { in: ownControlIds } } : {}) },
  });
  // Findings carry the CIS item ids of the report's CIS version: the report's framework if CIS, else the organization's.
  const cisFrameworkId = isCisFrameworkId(request.frameworkId) ? request.frameworkId : (await getCisBenchmark(ctx)).frameworkId;
  // A custom control's findings carry the catalog requirement ids its evaluated versions mapped it to, as catalog ones do.
  const ownMappings = new Map<string, { cis: string[]; iso: string[] }>();
  for (const outcome of clusters.flatMap((cluster) => cluster.controlResults)) {
    if (!outcome.requirementIds?.length) continue;
    const known = ownMappings.get(outcome.controlId) ?? { cis: [], iso: [] };
    for (const ref of outcome.requirementIds) {
      const [frameworkId, code] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
      const list = frameworkId === cisFrameworkId ? known.cis : frameworkId === 'iso27001-2022' ? known.iso : null;
      if (list && !list.includes(code)) list.push(code);
    }
    ownMappings.set(outcome.controlId, known);
  }
  const findings = createFindingPages(db, {
    clusters: clusterNames, periodStart: request.periodStart, periodEnd: request.periodEnd,
    dueDays: { ...DEFAULT_DUE_DAYS, ...(organization.dueDays as Partial<Record<ReportSeverity, number>>) }, controlTitles,
    ...(ownControlIds ? { controlIds: ownControlIds } : {}), ownMappings, cisFrameworkId,
  }, people, options.onRowsRead && ((rows) => options.onRowsRead?.(rows, totalRows)));
  const totals = await countFindings(findings, request.periodEnd);

  const perCluster = clusters.filter((cluster) => cluster.evaluation).map((cluster) => talliesAt(cluster, totals));
  const merged = mergeTallies(perCluster);
  const mergedById = new Map(merged.map((tally) => [tally.controlId, tally]));
  // The organization's own controls are named with the versions the clusters ran (marked as theirs in every format).
  const labels = await ownControlLabels(db, merged);
  for (const label of labels.values()) controlTitles.set(label.controlId, label.title);
  const openByControl = new Map<string, number>();
  for (const perControl of totals.byClusterControl.values()) {
    for (const [controlId, counts] of perControl) openByControl.set(controlId, (openByControl.get(controlId) ?? 0) + counts.open);
  }
  const openOf = (controlIds: readonly string[]) => controlIds.reduce((sum, id) => sum + (openByControl.get(id) ?? 0), 0);

  let requirements: ReportRequirement[];
  let computed: ScoreFigures;
  let relevantControls: Set<string>;
  let compliance: Pick<ReportData, 'soa' | 'evidence'>;
  let manualRequirements: ReportData['manualRequirements'];
  if (own) {
    const results = orgFrameworkResultsFor(own, merged);
    computed = results.score;
    relevantControls = new Set(ownControlIds);
    requirements = own.requirements.map((requirement, index) => {
      const result = results.requirements[index]!;
      const accepted = result.status === 'pass' && result.acceptedControlIds.length > 0;
      const automated: AutomatedResult = result.status === 'fail' ? 'fail' : result.status === 'pass' ? (accepted ? 'accepted' : 'pass') : 'none';
      const assessment = result.controlIds.length > 0 ? 'automated' as const : 'manual' as const;
      return {
        id: requirement.code, title: requirement.title, description: '', assessment, status: result.status, accepted,
        controlIds: result.controlIds, failingControlIds: result.failingControlIds, openFindings: openOf(result.controlIds), reason: result.reason ?? null,
        ownControls: ownControlsOf(result, labels, mergedById),
        // No Statement of Applicability for an organization's own framework: every requirement is applicable.
        complianceStatus: complianceStatus({ applicability: 'applicable', assessment, automated, evidence: 'none' }),
        applicability: 'applicable', decided: false, justification: null, owner: null, implementationStatus: null, evidence: 'none',
      };
    });
    const summary = summarizeCompliance(requirements.map((r) => r.complianceStatus));
    compliance = { soa: { version: null, draft: false, unapprovedChanges: [], coverage: describeCoverage(summary), byStatus: summary.byStatus }, evidence: [] };
    manualRequirements = requirements.filter((r) => r.status === 'manual').map((r) => ({ id: r.id, title: r.title, assessment: 'manual' as const, evidence: r.reason ?? 'Evidence from outside the cluster.' }));
  } else {
    const catalog = framework!;
    const results = requirementResultsFor(merged, [catalog.id]);
    computed = results.scores[0] ?? { score: 0, passed: 0, failed: 0, notApplicable: 0, manual: 0, accepted: 0 };
    const mapped = listRequirementControls(catalog.id);
    const resultById = new Map(results.requirements.map((result) => [result.requirementId, result]));
    const automated = new Map(catalog.requirements.map((requirement) => [requirement.id, automatedResultOf(resultById.get(requirement.id))]));
    const soa = await complianceAt(ctx, catalog.id, request.periodEnd, automated, people);
    compliance = soa;
    relevantControls = new Set([...mapped.values()].flat());
    requirements = catalog.requirements.map((requirement) => {
      const result = resultById.get(requirement.id);
      // The catalog's controls, then the organization's own controls its evaluated versions mapped to the requirement.
      const ownIds = (result?.controlIds ?? []).filter((id) => labels.has(id));
      for (const id of ownIds) relevantControls.add(id);
      const controlIds = [...(mapped.get(requirement.id) ?? []), ...ownIds];
      const decision = soa.byRequirement.get(requirement.id);
      return {
        id: requirement.id, title: requirement.title, description: requirement.description, assessment: requirement.assessment,
        status: result?.status ?? 'manual', accepted: (result?.acceptedControlIds.length ?? 0) > 0 && result?.status === 'pass',
        controlIds, failingControlIds: result?.failingControlIds ?? [],
        openFindings: openOf(controlIds), reason: result?.reason ?? null,
        ...(ownIds.length > 0 && result ? { ownControls: ownControlsOf(result, labels, mergedById) } : {}),
        complianceStatus: decision?.complianceStatus ?? 'not_assessed', applicability: decision?.applicability ?? 'applicable', decided: decision?.decided ?? false,
        justification: decision?.justification ?? null, owner: decision?.owner ?? null, implementationStatus: decision?.implementationStatus ?? null, evidence: decision?.evidence ?? 'none',
      };
    });
    // Manual at the period end (no control decides it) or partial (controls decide only the Kubernetes part).
    manualRequirements = catalog.requirements
      .filter((requirement) => !requirement.notApplicableReason && (resultById.get(requirement.id)?.status === 'manual' || (requirement.assessment === 'partial' && requirement.manualEvidence)))
      .map((requirement) => ({
        id: requirement.id, title: requirement.title, assessment: requirement.assessment === 'partial' ? 'partial' as const : 'manual' as const,
        evidence: requirement.manualEvidence ?? resultById.get(requirement.id)?.reason ?? 'Evidence from outside the cluster.',
      }));
  }
  const countOf = (status: ReportRequirement['status']) => requirements.filter((r) => r.status === status).length;

  const scores = await scoresAt(db, request, clusters, allClusters, computed);
  const controlOutcomes: ReportControlOutcome[] = clusters.flatMap((cluster) => (cluster.evaluation ? talliesAt(cluster, totals) : [])
    .filter((tally) => relevantControls.has(tally.controlId))
    .map((tally) => ({
      clusterId: cluster.id, clusterName: cluster.name, controlId: tally.controlId, controlTitle: labels.get(tally.controlId)?.title ?? findControl(tally.controlId)?.title ?? tally.controlId,
      status: tally.status, openFindings: tally.openFindings, acceptedFindings: tally.acceptedFindings, evaluatedAt: cluster.evaluation?.evaluatedAt ?? request.periodEnd.toISOString(), reason: tally.reason ?? null,
      ...(tally.controlVersions?.[0] !== undefined && labels.has(tally.controlId) ? { ownVersion: tally.controlVersions[0] } : {}),
    })));
  const onlyOwn = <T extends { controlId: string }>(rows: T[]) => (ownControlIds ? rows.filter((row) => ownControlIds.includes(row.controlId)) : rows);

  await people.load([request.requestedById]);
  return {
    header: {
      reportId: request.id,
      organization: { name: organization.name, slug: organization.slug },
      framework: own
        ? { id: request.frameworkId, name: own.name, version: 'organization framework', own: { key: own.key, description: own.description } }
        : { id: framework!.id, name: framework!.name, version: framework!.version },
      scope: { allClusters, clusters: clusters.map(({ controlResults: _omit, ...cluster }) => cluster) },
      period: { start: request.periodStart.toISOString(), end: request.periodEnd.toISOString() },
      generatedAt: (options.generatedAt ?? new Date()).toISOString(),
      generatedBy: people.user(request.requestedById, 'Bulwark'),
      catalogVersion: CATALOG_VERSION,
    },
    summary: {
      headline: scores.headline,
      byCluster: scores.byCluster,
      requirements: { pass: countOf('pass'), fail: countOf('fail'), manual: countOf('manual'), not_applicable: countOf('not_applicable'), provider_responsibility: countOf('provider_responsibility'), accepted: requirements.filter((r) => r.accepted).length },
      findings: { total: totals.total, open: totals.open, acknowledged: totals.acknowledged, riskAccepted: totals.riskAccepted, resolved: totals.resolved, overdue: totals.overdue, openBySeverity: totals.openBySeverity },
    },
    trend: await trendOf(db, request, clusters, allClusters, scores),
    requirements,
    riskAcceptances: onlyOwn(await riskAcceptancesAt(db, request, clusterNames, people)),
    exceptions: onlyOwn(await exceptionsAt(db, request, clusterNames, people)),
    manualRequirements,
    controlOutcomes,
    soa: compliance.soa,
    evidence: compliance.evidence,
    // Access reviews signed off within the period (issue 22): evidence for ISO 27001 A.5.15, A.5.18 and A.8.2.
    accessReviews: framework?.id.startsWith('iso27001') ? await campaignsForReport(ctx, { start: request.periodStart, end: request.periodEnd }) : [],
    findings,
  };
}
