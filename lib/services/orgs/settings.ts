import { z } from 'zod';
import { dbFor } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { cisFrameworkIdOf, type CisFrameworkId, type CisVersion } from '../../analysis/frameworks/cis-versions';
import { CisBenchmarkVersionSchema, DEFAULT_DUE_DAYS, DueDaysSchema, parseInput, UpdateOrgSettingsSchema, type DueDays, type UpdateOrgSettingsInput } from './schemas';

const SETTINGS_SELECT = { name: true, slug: true, dueDays: true, allowedRegistries: true, autoTicketCritical: true, snapshotRetentionDays: true, invitationExpiryDays: true, cisBenchmarkVersion: true, updatedAt: true } as const;

export type OrgSettings = {
  name: string;
  slug: string;
  dueDays: DueDays;
  allowedRegistries: string[];
  autoTicketCritical: boolean;
  snapshotRetentionDays: number;
  invitationExpiryDays: number;
  /** The CIS Kubernetes Benchmark version the organization evaluates and reports against. */
  cisBenchmarkVersion: CisVersion;
  updatedAt: Date;
};

type SettingsRow = { [K in keyof OrgSettings]: K extends 'dueDays' ? unknown : K extends 'cisBenchmarkVersion' ? string : OrgSettings[K] };

function toSettings(row: SettingsRow): OrgSettings {
  // dueDays is jsonb: a row written before a severity existed falls back to the defaults for that severity.
  const dueDays = DueDaysSchema.partial().safeParse(row.dueDays);
  // The column has a CHECK for the versions; an unknown one (a version retired later) reads as the default.
  const cis = CisBenchmarkVersionSchema.safeParse(row.cisBenchmarkVersion);
  return { ...row, dueDays: { ...DEFAULT_DUE_DAYS, ...(dueDays.success ? dueDays.data : {}) }, cisBenchmarkVersion: cis.success ? cis.data : '1.9' };
}

export async function getOrgSettings(ctx: OrgContext): Promise<OrgSettings> {
  authorize(ctx, 'org.read');
  const row = await dbFor(ctx).organization.findUnique({ where: { id: ctx.organizationId }, select: SETTINGS_SELECT });
  if (!row) throw new AppError('not_found', 'Organization not found');
  return toSettings(row);
}

/**
 * Replaces the organization's general settings. New due days apply to findings opened or reopened from now on;
 * allowed registries apply from the next evaluation; the CIS version to reports and scores requested from now on.
 */
export async function updateOrgSettings(ctx: OrgContext, input: UpdateOrgSettingsInput): Promise<OrgSettings> {
  authorize(ctx, 'org.manage');
  const data = parseInput(UpdateOrgSettingsSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.organizationId }, select: SETTINGS_SELECT });
    if (!before) throw new AppError('not_found', 'Organization not found');
    const after = await tx.organization.update({ where: { id: ctx.organizationId }, data, select: SETTINGS_SELECT });
    const { updatedAt: _before, ...was } = toSettings(before);
    const { updatedAt: _after, ...now } = toSettings(after);
    await writeAudit(tx, ctx, { action: 'organization.settings_updated', targetType: 'Organization', targetId: ctx.organizationId, before: was, after: now });
    return toSettings(after);
  });
}

/** The CIS framework the organization reports against (its chosen benchmark version). */
export function cisFrameworkOf(settings: Pick<OrgSettings, 'cisBenchmarkVersion'>): CisFrameworkId {
  return cisFrameworkIdOf(settings.cisBenchmarkVersion);
}

export const SetCisBenchmarkSchema = z.object({ version: CisBenchmarkVersionSchema });
export type SetCisBenchmarkInput = z.input<typeof SetCisBenchmarkSchema>;
export type CisBenchmark = { version: CisVersion; frameworkId: CisFrameworkId };

/**
 * The CIS Kubernetes Benchmark version the organization reports against (any member may read it): the one place
 * pages, the v1 API, the dashboard, reports and schedules learn which CIS framework to show (item ids differ
 * between versions, so each shows only this one and says which).
 */
export async function getCisBenchmark(ctx: OrgContext): Promise<CisBenchmark> {
  authorize(ctx, 'org.read');
  const row = await dbFor(ctx).organization.findUnique({ where: { id: ctx.organizationId }, select: { cisBenchmarkVersion: true } });
  if (!row) throw new AppError('not_found', 'Organization not found');
  // The column has a CHECK for the versions; an unknown one (a version retired later) reads as the default.
  const parsed = CisBenchmarkVersionSchema.safeParse(row.cisBenchmarkVersion);
  const version: CisVersion = parsed.success ? parsed.data : '1.9';
  return { version, frameworkId: cisFrameworkIdOf(version) };
}

/** Chooses the CIS version (owners and admins), with its audit entry; reports requested from now on use it. */
export async function setCisBenchmark(ctx: OrgContext, input: SetCisBenchmarkInput): Promise<CisBenchmark> {
  authorize(ctx, 'org.manage');
  const { version } = parseInput(SetCisBenchmarkSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const before = await tx.organization.findUnique({ where: { id: ctx.organizationId }, select: { cisBenchmarkVersion: true } });
    if (!before) throw new AppError('not_found', 'Organization not found');
    await tx.organization.update({ where: { id: ctx.organizationId }, data: { cisBenchmarkVersion: version } });
    await writeAudit(tx, ctx, {
      action: 'organization.settings_updated', targetType: 'Organization', targetId: ctx.organizationId,
      before: { cisBenchmarkVersion: before.cisBenchmarkVersion }, after: { cisBenchmarkVersion: version },
    });
    return { version, frameworkId: cisFrameworkOf({ cisBenchmarkVersion: version }) };
  });
}
