import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import {
  CreateTeamSchema, DeleteTeamSchema, parseInput, RenameTeamSchema, TeamMemberSchema,
  type CreateTeamInput, type DeleteTeamInput, type RenameTeamInput, type TeamMemberInput,
} from './schemas';

function nameTaken(error: unknown, name: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new AppError('conflict', `A team named "${name}" already exists`, [{ path: 'name', message: 'already taken' }]);
  }
  throw error;
}

async function findTeamOrThrow(tx: TenantTx, teamId: string) {
  const team = await tx.team.findUnique({ where: { id: teamId } });
  if (!team) throw new AppError('not_found', 'Team not found');
  return team;
}

/** Teams by name, each with its members and how many findings are assigned to it. */
export async function listTeams(ctx: OrgContext) {
  authorize(ctx, 'team.read');
  const teams = await dbFor(ctx).team.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true, name: true, createdAt: true,
      members: { select: { user: { select: { id: true, email: true, name: true } } }, orderBy: { user: { email: 'asc' } } },
      _count: { select: { findings: true } },
    },
  });
  return teams.map((team) => ({ id: team.id, name: team.name, createdAt: team.createdAt, members: team.members.map((m) => m.user), assignedFindings: team._count.findings }));
}

export async function createTeam(ctx: OrgContext, input: CreateTeamInput) {
  authorize(ctx, 'team.manage');
  const data = parseInput(CreateTeamSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const team = await tx.team.create({ data: { organizationId: ctx.organizationId, name: data.name } });
    await writeAudit(tx, ctx, { action: 'team.created', targetType: 'Team', targetId: team.id, after: { name: team.name } });
    return { id: team.id, name: team.name };
  }).catch((error: unknown) => nameTaken(error, data.name));
}

export async function renameTeam(ctx: OrgContext, input: RenameTeamInput) {
  authorize(ctx, 'team.manage');
  const data = parseInput(RenameTeamSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const team = await findTeamOrThrow(tx, data.teamId);
    if (team.name === data.name) return { id: team.id, name: team.name };
    const renamed = await tx.team.update({ where: { id: team.id }, data: { name: data.name } });
    await writeAudit(tx, ctx, { action: 'team.renamed', targetType: 'Team', targetId: team.id, before: { name: team.name }, after: { name: renamed.name } });
    return { id: renamed.id, name: renamed.name };
  }).catch((error: unknown) => nameTaken(error, data.name));
}

/** Deletes a team. Its findings become unassigned first (the foreign key would refuse otherwise). */
export async function deleteTeam(ctx: OrgContext, input: DeleteTeamInput) {
  authorize(ctx, 'team.manage');
  const data = parseInput(DeleteTeamSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const team = await findTeamOrThrow(tx, data.teamId);
    const unassigned = await tx.finding.updateMany({ where: { assigneeTeamId: team.id }, data: { assigneeTeamId: null } });
    const members = await tx.teamMember.deleteMany({ where: { teamId: team.id } });
    await tx.team.delete({ where: { id: team.id } });
    await writeAudit(tx, ctx, { action: 'team.deleted', targetType: 'Team', targetId: team.id, before: { name: team.name, members: members.count }, after: { unassignedFindings: unassigned.count } });
    return { id: team.id, unassignedFindings: unassigned.count };
  });
}

/** Adds a member of the organization to a team; someone who isn't a member is not found, like a foreign id. */
export async function addTeamMember(ctx: OrgContext, input: TeamMemberInput) {
  authorize(ctx, 'team.manage');
  const data = parseInput(TeamMemberSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const team = await findTeamOrThrow(tx, data.teamId);
    const membership = await tx.membership.findFirst({ where: { userId: data.userId }, select: { user: { select: { email: true } } } });
    if (!membership) throw new AppError('not_found', 'Member not found in this organization');
    if (await tx.teamMember.findFirst({ where: { teamId: team.id, userId: data.userId } })) {
      throw new AppError('conflict', `${membership.user.email} is already in ${team.name}`);
    }
    await tx.teamMember.create({ data: { organizationId: ctx.organizationId, teamId: team.id, userId: data.userId } });
    await writeAudit(tx, ctx, { action: 'team.member_added', targetType: 'Team', targetId: team.id, after: { team: team.name, userId: data.userId, email: membership.user.email } });
    return { teamId: team.id, userId: data.userId };
  });
}

export async function removeTeamMember(ctx: OrgContext, input: TeamMemberInput) {
  authorize(ctx, 'team.manage');
  const data = parseInput(TeamMemberSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const team = await findTeamOrThrow(tx, data.teamId);
    const removed = await tx.teamMember.deleteMany({ where: { teamId: team.id, userId: data.userId } });
    if (removed.count === 0) throw new AppError('not_found', 'Not a member of this team');
    await writeAudit(tx, ctx, { action: 'team.member_removed', targetType: 'Team', targetId: team.id, before: { team: team.name, userId: data.userId } });
    return { teamId: team.id, userId: data.userId };
  });
}
