import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listMembers } from '@/lib/services/orgs/members';
import { listTeams } from '@/lib/services/orgs/teams';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { removeTeamMemberAction } from '../actions';
import { ActionButton } from '../_components/action-button';
import { CreateTeamForm } from '../_components/create-team-form';
import { AddTeamMemberForm, TeamHeaderControls } from '../_components/team-controls';

export const metadata: Metadata = { title: 'Teams' };
export const dynamic = 'force-dynamic';

export default async function TeamsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const canManage = can(ctx, 'team.manage');
  const [teams, { members }] = await Promise.all([listTeams(ctx), canManage ? listMembers(ctx) : Promise.resolve({ members: [] })]);

  return (
    <div className="grid gap-4">
      {canManage && <Card title="Create a team"><CreateTeamForm org={org} /></Card>}
      {teams.length === 0 ? (
        <EmptyState title="No teams yet" action={null}>
          Teams group members so findings can be assigned to a team.{!canManage && ' Owners and admins create them.'}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2">
          {teams.map((team) => {
            const inTeam = new Set(team.members.map((m) => m.id));
            return (
              <li key={team.id}>
                <Card title={team.name} action={canManage ? <TeamHeaderControls org={org} team={{ id: team.id, name: team.name, assignedFindings: team.assignedFindings }} /> : undefined}>
                  <p className="mb-2 text-xs text-slate-500">{team.members.length} member{team.members.length === 1 ? '' : 's'} · {team.assignedFindings} assigned finding{team.assignedFindings === 1 ? '' : 's'}</p>
                  {team.members.length > 0 && (
                    <ul className="mb-3 divide-y divide-slate-100 text-sm">
                      {team.members.map((user) => (
                        <li key={user.id} className="flex flex-wrap items-center justify-between gap-2 py-1.5">
                          <span className="min-w-0 break-all">{user.name ? <>{user.name} <span className="text-xs text-slate-500">{user.email}</span></> : user.email}</span>
                          {canManage && (
                            <ActionButton org={org} action={removeTeamMemberAction} input={{ teamId: team.id, userId: user.id }} label="Remove" accessibleLabel={`Remove ${user.email} from ${team.name}`} />
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  {canManage && (
                    <AddTeamMemberForm org={org} teamId={team.id} teamName={team.name}
                      candidates={members.filter((m) => !inTeam.has(m.userId)).map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))} />
                  )}
                </Card>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
