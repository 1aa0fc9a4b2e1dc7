import { compileRule, RuleSpecSchema, type RuleSpec } from '../../analysis/cel';
import type { CustomControlInput, Severity } from '../../analysis/engine';
import { actorUserId, type OrgContext } from '../../platform/auth/context';
import { authorize } from '../../platform/auth/permissions';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { isUuid, parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { emitDomainEvents } from '../events/emit';
import { diffVersions, type VersionChange } from './diff';
import { reevaluateLatestSnapshots } from './reevaluate';
import {
  CreateCustomControlSchema,
  SetCustomControlEnabledSchema,
  UpdateCustomControlSchema,
  type CustomControlContent,
} from './schemas';

/** The control id findings, outcomes and the catalog use for an organization's control. */
export const customControlId = (key: string) => `custom.${key}`;
export const isCustomControlId = (controlId: string) => controlId.startsWith('custom.');

const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED'] as const;
const toDbSeverity = (severity: Severity) => severity.toUpperCase() as 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
const fromDbSeverity = (severity: string) => severity.toLowerCase() as Severity;

/**
 * Save compiles: a rule that does not parse, type-check, stays under the cost limit or return a boolean (a message
 * expression: a string) is refused with 400, one issue per expression naming its field (`rule.validations.0.expression`)
 * and the line and column. Requirement references must exist (catalog requirement or the organization's own).
 */
async function checkContent(tx: TenantTx, content: CustomControlContent): Promise<void> {
  const compiled = compileRule(content.rule);
  if (!compiled.ok) {
    throw new AppError(
      'invalid',
      'The rule does not compile',
      compiled.errors.map((error) => ({
        path: `rule.${error.field}`,
        message: error.position ? `${error.message} (line ${error.position.line}, column ${error.position.column})` : error.message,
      })),
    );
  }
  const refs = [...new Set(content.requirementIds)];
  if (refs.length === 0) return;
  const catalog = await tx.requirement.findMany({ where: { id: { in: refs } }, select: { id: true } });
  const known = new Set(catalog.map((row) => row.id));
  const own = refs.filter((ref) => !known.has(ref));
  if (own.length > 0) {
    const frameworks = await tx.orgFramework.findMany({ where: { key: { in: own.map((ref) => ref.split(':')[0] ?? '') } }, select: { key: true, requirements: { select: { code: true } } } });
    for (const framework of frameworks) for (const requirement of framework.requirements) known.add(`${framework.key}:${requirement.code}`);
  }
  const unknown = refs.filter((ref) => !known.has(ref));
  if (unknown.length > 0) {
    throw new AppError('invalid', 'Unknown requirements', unknown.map((ref) => ({ path: 'requirementIds', message: `${ref} is neither a catalog requirement nor one of the organization's frameworks` })));
  }
}

const VERSION_SELECT = {
  version: true, title: true, severity: true, rationale: true, remediation: true, rule: true, requirementIds: true, authorId: true, change: true, createdAt: true,
} as const;

/** A new custom control, disabled, as version 1. Audited. */
export async function createCustomControl(ctx: OrgContext, input: unknown) {
  authorize(ctx, 'policy.manage');
  const data = parseInput(CreateCustomControlSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    await checkContent(tx, data);
    if (await tx.customControl.findUnique({ where: { organizationId_key: { organizationId: ctx.organizationId, key: data.key } }, select: { id: true } })) {
      throw new AppError('invalid', 'Key already used', [{ path: 'key', message: `The organization already has a control with the key ${data.key}` }]);
    }
    const control = await tx.customControl.create({
      data: { organizationId: ctx.organizationId, key: data.key, title: data.title, createdById: actorUserId(ctx) },
      select: { id: true, key: true },
    });
    await tx.customControlVersion.create({
      data: {
        organizationId: ctx.organizationId, customControlId: control.id, version: 1, title: data.title, severity: toDbSeverity(data.severity),
        rationale: data.rationale, remediation: data.remediation, rule: data.rule as object, requirementIds: data.requirementIds, authorId: actorUserId(ctx),
      },
    });
    await writeAudit(tx, ctx, { action: 'custom_control.created', targetType: 'CustomControl', targetId: control.id, after: { key: data.key, title: data.title, version: 1 } });
    return { id: control.id, key: control.key, controlId: customControlId(control.key), version: 1 };
  });
}

async function findControl(tx: TenantTx, customControlId: string) {
  const control = await tx.customControl.findUnique({
    where: { id: customControlId },
    select: { id: true, key: true, title: true, enabled: true, currentVersion: true, createdAt: true, updatedAt: true, disabledAt: true },
  });
  if (!control) throw new AppError('not_found', 'Custom control not found');
  return control;
}

async function currentVersionOf(tx: TenantTx, control: { id: string; currentVersion: number }) {
  const version = await tx.customControlVersion.findFirst({ where: { customControlId: control.id, version: control.currentVersion }, select: VERSION_SELECT });
  if (!version) throw new Error(`custom control ${control.id} has no version ${control.currentVersion}`);
  return version;
}

/** Every change is a new version (who, when); an unchanged save writes nothing. Audited with the diff. */
export async function updateCustomControl(ctx: OrgContext, input: unknown) {
  authorize(ctx, 'policy.manage');
  const data = parseInput(UpdateCustomControlSchema, input);
  const saved = await dbFor(ctx).$transaction(async (tx) => {
    const control = await findControl(tx, data.customControlId);
    await checkContent(tx, data);
    const current = await currentVersionOf(tx, control);
    const next = { title: data.title, severity: toDbSeverity(data.severity), rationale: data.rationale, remediation: data.remediation, rule: data.rule as object, requirementIds: data.requirementIds };
    const changes = diffVersions(current, next);
    if (changes.length === 0) return { id: control.id, version: control.currentVersion, changed: false, enabled: control.enabled };
    const version = control.currentVersion + 1;
    await tx.customControlVersion.create({ data: { organizationId: ctx.organizationId, customControlId: control.id, version, ...next, authorId: actorUserId(ctx) } });
    await tx.customControl.update({ where: { id: control.id }, data: { currentVersion: version, title: data.title } });
    await writeAudit(tx, ctx, { action: 'custom_control.updated', targetType: 'CustomControl', targetId: control.id, after: { version, changes: changes.map((c) => c.field) } });
    return { id: control.id, version, changed: true, enabled: control.enabled };
  });
  // A new version of an enabled control replaces the old one's findings now, not at the next snapshot.
  const reevaluating = saved.changed && saved.enabled ? (await reevaluateLatestSnapshots(ctx, `custom control ${saved.id} version ${saved.version}`)).length : 0;
  return { id: saved.id, version: saved.version, changed: saved.changed, reevaluating };
}

/**
 * Enables or disables a control (each a version, so history shows who did it). Disabling resolves the control's
 * active findings in every cluster with the reason "control disabled", in the same transaction. Either way each
 * cluster's latest snapshot is then evaluated again (reevaluate.ts), so enabling shows the findings without waiting
 * for the next snapshot, and the control outcomes and scores follow; `reevaluating` counts those clusters.
 */
export async function setCustomControlEnabled(ctx: OrgContext, input: unknown, now: Date = new Date()) {
  authorize(ctx, 'policy.manage');
  const { customControlId: id, enabled } = parseInput(SetCustomControlEnabledSchema, input);
  const changed = await dbFor(ctx).$transaction(async (tx) => {
    const control = await findControl(tx, id);
    if (control.enabled === enabled) return { id, enabled, resolved: 0, changed: false };
    const current = await currentVersionOf(tx, control);
    const version = control.currentVersion + 1;
    await tx.customControlVersion.create({
      data: {
        organizationId: ctx.organizationId, customControlId: id, version, title: current.title, severity: current.severity, rationale: current.rationale,
        remediation: current.remediation, rule: current.rule as object, requirementIds: current.requirementIds, authorId: actorUserId(ctx), change: enabled ? 'enabled' : 'disabled',
      },
    });
    await tx.customControl.update({ where: { id }, data: { enabled, currentVersion: version, disabledAt: enabled ? null : now } });
    let resolved = 0;
    if (!enabled) {
      const findings = await tx.finding.findMany({
        where: { controlId: customControlId(control.key), status: { in: [...ACTIVE_STATUSES] } },
        select: { id: true, clusterId: true, severity: true },
      });
      if (findings.length > 0) {
        const ids = findings.map((f) => f.id);
        await tx.finding.updateMany({ where: { id: { in: ids } }, data: { status: 'RESOLVED', resolutionReason: 'CONTROL_DISABLED', resolvedAt: now } });
        await tx.findingEvent.createMany({
          data: ids.map((findingId) => ({ organizationId: ctx.organizationId, findingId, type: 'resolved', actorUserId: actorUserId(ctx), data: { reason: 'control disabled' }, createdAt: now })),
        });
        await emitDomainEvents(tx, ctx.organizationId, findings.map((f) => ({ type: 'finding.resolved' as const, data: { findingId: f.id, clusterId: f.clusterId, severity: f.severity } })));
      }
      resolved = findings.length;
    }
    await writeAudit(tx, ctx, { action: enabled ? 'custom_control.enabled' : 'custom_control.disabled', targetType: 'CustomControl', targetId: id, after: { version, resolvedFindings: resolved } });
    return { id, enabled, resolved, changed: true };
  });
  const reevaluating = changed.changed ? (await reevaluateLatestSnapshots(ctx, `custom control ${id} ${enabled ? 'enabled' : 'disabled'}`)).length : 0;
  return { id, enabled, resolved: changed.resolved, reevaluating };
}

/** The organization's custom controls with their current version's title and severity, and open findings. */
export async function listCustomControls(ctx: OrgContext) {
  authorize(ctx, 'policy.read');
  const db = dbFor(ctx);
  const controls = await db.customControl.findMany({
    orderBy: [{ enabled: 'desc' }, { key: 'asc' }],
    take: 500,
    select: { id: true, key: true, title: true, enabled: true, currentVersion: true, updatedAt: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { severity: true, requirementIds: true } } },
  });
  const open = await db.finding.groupBy({
    by: ['controlId'],
    where: { controlId: { in: controls.map((c) => customControlId(c.key)) }, status: { in: [...ACTIVE_STATUSES] } },
    _count: { _all: true },
  });
  const openBy = new Map(open.map((row) => [row.controlId, row._count._all]));
  return controls.map(({ versions, ...control }) => ({
    ...control,
    controlId: customControlId(control.key),
    severity: fromDbSeverity(versions[0]?.severity ?? 'LOW'),
    requirementIds: versions[0]?.requirementIds ?? [],
    openFindings: openBy.get(customControlId(control.key)) ?? 0,
  }));
}
export type CustomControlRow = Awaited<ReturnType<typeof listCustomControls>>[number];

export type CustomControlVersionView = {
  version: number;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  rule: RuleSpec;
  requirementIds: string[];
  author: string | null;
  change: string | null;
  createdAt: Date;
  /** What changed from the version before (empty for version 1). */
  changes: VersionChange[];
};

/** One control with its current content and its whole history (newest first), each version with its diff. */
export async function getCustomControl(ctx: OrgContext, customControlId: string) {
  authorize(ctx, 'policy.read');
  if (!isUuid(customControlId)) throw new AppError('not_found', 'Custom control not found');
  const db = dbFor(ctx);
  const control = await db.$transaction((tx) => findControl(tx, customControlId));
  const rows = await db.customControlVersion.findMany({ where: { customControlId }, orderBy: { version: 'asc' }, select: VERSION_SELECT });
  const authorIds = [...new Set(rows.map((row) => row.authorId).filter((id): id is string => id !== null))];
  const people = authorIds.length ? await db.membership.findMany({ where: { userId: { in: authorIds } }, select: { userId: true, user: { select: { name: true, email: true } } } }) : [];
  const name = new Map(people.map((p) => [p.userId, p.user.name ?? p.user.email]));
  const versions: CustomControlVersionView[] = rows.map((row, index) => ({
    version: row.version,
    title: row.title,
    severity: fromDbSeverity(row.severity),
    rationale: row.rationale,
    remediation: row.remediation,
    rule: RuleSpecSchema.parse(row.rule),
    requirementIds: row.requirementIds,
    author: row.authorId ? (name.get(row.authorId) ?? 'former member') : null,
    change: row.change,
    createdAt: row.createdAt,
    changes: index === 0 ? [] : diffVersions(rows[index - 1]!, row),
  }));
  const current = versions[versions.length - 1]!;
  return { ...control, controlId: `custom.${control.key}`, current, versions: versions.reverse() };
}
export type CustomControlDetail = Awaited<ReturnType<typeof getCustomControl>>;

/** What the pipeline passes to the engine: the current version of every enabled control. */
export async function enabledCustomControls(tx: Pick<TenantTx, 'customControl' | 'customControlVersion'>): Promise<CustomControlInput[]> {
  const controls = await tx.customControl.findMany({ where: { enabled: true }, select: { id: true, key: true, currentVersion: true } });
  if (controls.length === 0) return [];
  const versions = await tx.customControlVersion.findMany({
    where: { OR: controls.map((c) => ({ customControlId: c.id, version: c.currentVersion })) },
    select: { customControlId: true, version: true, severity: true, remediation: true, rule: true, requirementIds: true },
  });
  const byControl = new Map(versions.map((v) => [v.customControlId, v]));
  const inputs: CustomControlInput[] = [];
  for (const control of controls) {
    const version = byControl.get(control.id);
    const rule = version ? RuleSpecSchema.safeParse(version.rule) : undefined;
    if (!version || !rule?.success) continue;
    inputs.push({
      id: customControlId(control.key), version: version.version, severity: fromDbSeverity(version.severity), remediation: version.remediation, rule: rule.data,
      // The requirements this version maps to count it (catalog ones in their framework's score, `<key>:<code>` in the organization's).
      requirementIds: version.requirementIds,
    });
  }
  return inputs;
}
