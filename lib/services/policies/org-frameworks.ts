import type { OrgContext } from '../../platform/auth/context';
import { authorize } from '../../platform/auth/permissions';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { customControlId } from './custom-controls';
import { OrgFrameworkSchema } from './schemas';

const CATALOG_FRAMEWORK_IDS = new Set(['cis', 'iso27001', 'nsa']);

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
    return framework;
  });
}

export type OrgRequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual';
export type OrgRequirementResult = {
  code: string;
  title: string;
  status: OrgRequirementStatus;
  controls: { controlId: string; title: string; status: 'pass' | 'fail' | 'not_applicable'; openFindings: number }[];
};
export type OrgFrameworkScore = { score: number; passed: number; failed: number; notApplicable: number; manual: number };

/**
 * Each custom control's state over the organization's active clusters: failing while it has open (or acknowledged)
 * findings; passing when some cluster's current evaluation ran it and nothing is open; otherwise not applicable.
 */
async function controlStates(tx: TenantTx) {
  const clusters = await tx.cluster.findMany({ where: { archivedAt: null, currentEvaluationId: { not: null } }, select: { id: true, currentEvaluationId: true } });
  const runs = await tx.evaluationRun.findMany({ where: { id: { in: clusters.map((c) => c.currentEvaluationId!) } }, select: { controlResults: true } });
  const evaluated = new Map<string, boolean>();
  for (const run of runs) {
    for (const outcome of (run.controlResults as { controlId?: string; status?: string }[] | null) ?? []) {
      if (!outcome.controlId?.startsWith('custom.')) continue;
      const decided = outcome.status === 'pass' || outcome.status === 'fail';
      evaluated.set(outcome.controlId, (evaluated.get(outcome.controlId) ?? false) || decided);
    }
  }
  const open = await tx.finding.groupBy({
    by: ['controlId'],
    where: { controlId: { startsWith: 'custom.' }, status: { in: ['OPEN', 'ACKNOWLEDGED'] }, clusterId: { in: clusters.map((c) => c.id) } },
    _count: { _all: true },
  });
  const openBy = new Map(open.map((row) => [row.controlId, row._count._all]));
  return (controlId: string) => {
    const openFindings = openBy.get(controlId) ?? 0;
    const status = openFindings > 0 ? ('fail' as const) : evaluated.get(controlId) ? ('pass' as const) : ('not_applicable' as const);
    return { status, openFindings };
  };
}

/** The enabled custom controls mapped to each `<key>:<code>` reference. */
async function mappedControls(tx: TenantTx) {
  const controls = await tx.customControl.findMany({ where: { enabled: true }, select: { id: true, key: true, title: true, currentVersion: true } });
  const versions = controls.length
    ? await tx.customControlVersion.findMany({ where: { OR: controls.map((c) => ({ customControlId: c.id, version: c.currentVersion })) }, select: { customControlId: true, requirementIds: true } })
    : [];
  const byId = new Map(controls.map((c) => [c.id, c]));
  const byRef = new Map<string, { controlId: string; title: string }[]>();
  for (const version of versions) {
    const control = byId.get(version.customControlId);
    if (!control) continue;
    for (const ref of version.requirementIds) {
      const list = byRef.get(ref) ?? [];
      list.push({ controlId: customControlId(control.key), title: control.title });
      byRef.set(ref, list);
    }
  }
  return byRef;
}

function scoreOf(requirements: OrgRequirementResult[]): OrgFrameworkScore {
  const count = (status: OrgRequirementStatus) => requirements.filter((r) => r.status === status).length;
  const passed = count('pass');
  const failed = count('fail');
  const decided = passed + failed;
  return { score: decided === 0 ? 0 : Math.round((passed / decided) * 1000) / 10, passed, failed, notApplicable: count('not_applicable'), manual: count('manual') };
}

async function resultsFor(tx: TenantTx, framework: { key: string; requirements: { code: string; title: string }[] }) {
  const [stateOf, byRef] = [await controlStates(tx), await mappedControls(tx)];
  const requirements: OrgRequirementResult[] = framework.requirements.map((requirement) => {
    const controls = (byRef.get(`${framework.key}:${requirement.code}`) ?? []).map((c) => ({ ...c, ...stateOf(c.controlId) }));
    const status: OrgRequirementStatus =
      controls.length === 0 ? 'manual'
        : controls.some((c) => c.status === 'fail') ? 'fail'
          : controls.every((c) => c.status === 'not_applicable') ? 'not_applicable' : 'pass';
    return { code: requirement.code, title: requirement.title, status, controls };
  });
  return { requirements, score: scoreOf(requirements) };
}

/** The organization's frameworks, each with its current score over the active clusters. */
export async function listOrgFrameworks(ctx: OrgContext) {
  authorize(ctx, 'policy.read');
  return dbFor(ctx).$transaction(async (tx) => {
    const frameworks = await tx.orgFramework.findMany({
      orderBy: { name: 'asc' },
      select: { id: true, key: true, name: true, description: true, requirements: { orderBy: { sortOrder: 'asc' }, select: { code: true, title: true } } },
    });
    const out = [];
    for (const framework of frameworks) out.push({ ...framework, ...(await resultsFor(tx, framework)) });
    return out;
  });
}
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
    return { ...framework, ...(await resultsFor(tx, framework)) };
  });
}
