import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { createClusterWithToken, createMember, createOrg, uniqueSuffix } from '../../testing/factories';
import { addTeamMember, createTeam, deleteTeam, listTeams, removeTeamMember, renameTeam } from './teams';

afterAll(() => disconnectDb());

async function orgState(organizationId: string) {
  const db = systemDb();
  const [teams, teamMembers, assigned, audit] = await Promise.all([
    db.team.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, select: { id: true, name: true } }),
    db.teamMember.findMany({ where: { organizationId }, orderBy: [{ teamId: 'asc' }, { userId: 'asc' }], select: { teamId: true, userId: true } }),
    db.finding.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, select: { id: true, assigneeTeamId: true } }),
    db.auditLog.count({ where: { organizationId } }),
  ]);
  return { teams, teamMembers, assigned, audit };
}

async function lastAudit(organizationId: string) {
  return systemDb().auditLog.findFirstOrThrow({ where: { organizationId }, orderBy: { seq: 'desc' } });
}

async function findingAssignedTo(org: { id: string; slug: string }, teamId: string | null) {
  const { cluster } = await createClusterWithToken(org);
  const seen = new Date('2026-01-01T00:00:00Z');
  return systemDb().finding.create({ data: {
    organizationId: org.id, clusterId: cluster.id, controlId: 'workload.privileged-container', fingerprint: `fp-${uniqueSuffix()}`, severity: 'CRITICAL',
    resourceApiVersion: 'apps/v1', resourceKind: 'Deployment', resourceName: 'web', message: 'runs privileged', evidence: {}, firstSeenAt: seen, lastSeenAt: seen, assigneeTeamId: teamId,
  } });
}

async function setup(name?: string) {
  const org = await createOrg(name);
  const admin = await createMember(org, 'ADMIN');
  const member = await createMember(org, 'MEMBER');
  const team = await createTeam(admin.ctx, { name: 'platform' });
  return { org, admin, member, team };
}

describe('teams', () => {
  it('creates, renames and lists teams with their members, writing an audit entry for each change', async () => {
    const { org, admin, member, team } = await setup();
    expect(await lastAudit(org.id)).toMatchObject({ action: 'team.created', targetId: team.id, after: { name: 'platform' } });
    await renameTeam(admin.ctx, { teamId: team.id, name: 'Platform SRE' });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'team.renamed', before: { name: 'platform' }, after: { name: 'Platform SRE' } });
    await addTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'team.member_added', after: expect.objectContaining({ userId: member.user.id }) });

    const viewer = await createMember(org, 'VIEWER');
    expect(await listTeams(viewer.ctx)).toEqual([expect.objectContaining({ name: 'Platform SRE', members: [expect.objectContaining({ id: member.user.id, email: member.user.email })], assignedFindings: 0 })]);

    await removeTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id });
    expect(await lastAudit(org.id)).toMatchObject({ action: 'team.member_removed', before: expect.objectContaining({ userId: member.user.id }) });
    await expect(removeTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a second team with the same name, naming the field', async () => {
    const { org, admin } = await setup();
    const before = await orgState(org.id);
    await expect(createTeam(admin.ctx, { name: 'platform' })).rejects.toMatchObject({ code: 'conflict', issues: [{ path: 'name', message: 'already taken' }] });
    const other = await createTeam(admin.ctx, { name: 'security' });
    await expect(renameTeam(admin.ctx, { teamId: other.id, name: 'platform' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await orgState(org.id)).teams).toHaveLength(before.teams.length + 1);
  });

  it('adds only members of the organization, and only once', async () => {
    const { admin, member, team } = await setup();
    const outsider = await createMember(await createOrg(), 'OWNER');
    await expect(addTeamMember(admin.ctx, { teamId: team.id, userId: outsider.user.id })).rejects.toMatchObject({ code: 'not_found' });
    await addTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id });
    await expect(addTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('deleting a team unassigns its findings and leaves other teams\' findings alone', async () => {
    const { org, admin, member, team } = await setup();
    const other = await createTeam(admin.ctx, { name: 'security' });
    await addTeamMember(admin.ctx, { teamId: team.id, userId: member.user.id });
    const mine = await findingAssignedTo(org, team.id);
    const theirs = await findingAssignedTo(org, other.id);

    await expect(deleteTeam(admin.ctx, { teamId: team.id })).resolves.toEqual({ id: team.id, unassignedFindings: 1 });
    expect((await systemDb().finding.findUniqueOrThrow({ where: { id: mine.id } })).assigneeTeamId).toBeNull();
    expect((await systemDb().finding.findUniqueOrThrow({ where: { id: theirs.id } })).assigneeTeamId).toBe(other.id);
    expect(await systemDb().team.count({ where: { id: team.id } })).toBe(0);
    expect(await systemDb().teamMember.count({ where: { teamId: team.id } })).toBe(0);
    expect(await lastAudit(org.id)).toMatchObject({ action: 'team.deleted', targetId: team.id, before: { name: 'platform', members: 1 }, after: { unassignedFindings: 1 } });
  });

  it.each<Role>(['VIEWER', 'AUDITOR', 'MEMBER'])('a %s gets 403 on every mutation and nothing changes', async (role) => {
    const { org, member, team } = await setup();
    const actor = await createMember(org, role);
    await findingAssignedTo(org, team.id);
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => createTeam(actor.ctx, { name: 'new' }),
      () => renameTeam(actor.ctx, { teamId: team.id, name: 'renamed' }),
      () => deleteTeam(actor.ctx, { teamId: team.id }),
      () => addTeamMember(actor.ctx, { teamId: team.id, userId: member.user.id }),
      () => removeTeamMember(actor.ctx, { teamId: team.id, userId: member.user.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an admin of org B acting on org A\'s teams gets 404 and nothing changes', async () => {
    const a = await setup('Acme Teams');
    const b = await setup('Globex Teams');
    await addTeamMember(a.admin.ctx, { teamId: a.team.id, userId: a.member.user.id });
    await findingAssignedTo(a.org, a.team.id);
    const [beforeA, beforeB] = [await orgState(a.org.id), await orgState(b.org.id)];
    const attempts: (() => Promise<unknown>)[] = [
      () => renameTeam(b.admin.ctx, { teamId: a.team.id, name: 'hijacked' }),
      () => deleteTeam(b.admin.ctx, { teamId: a.team.id }),
      () => addTeamMember(b.admin.ctx, { teamId: a.team.id, userId: b.member.user.id }),
      () => removeTeamMember(b.admin.ctx, { teamId: a.team.id, userId: a.member.user.id }),
      // A's member into B's own team: not a member of B, so not found either.
      () => addTeamMember(b.admin.ctx, { teamId: b.team.id, userId: a.member.user.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(a.org.id)).toEqual(beforeA);
    expect(await orgState(b.org.id)).toEqual(beforeB);
  });
});
