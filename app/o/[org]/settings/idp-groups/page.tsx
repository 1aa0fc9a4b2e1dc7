import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listGroupMappings } from '@/lib/services/orgs/idp-groups';
import { listSsoConnectionNames } from '@/lib/services/sso/connections';
import { mayManageOwners } from '@/lib/services/orgs/members';
import { Card } from '@/app/_components/card';
import { deleteGroupMappingAction, setGroupMappingAction } from '../actions';
import { ActionButton } from '../_components/action-button';
import { GroupMappingForm } from '../_components/group-mapping-form';
import { RoleChangeForm } from '../_components/role-change-form';
import { assignableRoles, ROLE_LABELS } from '../_components/roles';

export const metadata: Metadata = { title: 'IdP groups' };
export const dynamic = 'force-dynamic';

export default async function IdpGroupsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'member.manage')) {
    return <Card title="IdP group mapping"><p className="text-sm text-slate-600">Owners and admins map identity-provider groups to roles.</p></Card>;
  }
  const [mappings, connections] = await Promise.all([listGroupMappings(ctx), listSsoConnectionNames(ctx)]);
  const ownerRights = mayManageOwners(ctx);
  const roles = assignableRoles(ownerRights);
  return (
    <div className="grid gap-4">
      <Card title="Map an IdP group to a role">
        <p className="mb-3 text-sm text-slate-600">
          Anyone whose sign-in carries a mapped group becomes a member with that role (the highest, if several match). Changes apply at
          each person&apos;s next sign-in; someone who no longer has any mapped group then loses a membership that came from one.
          Invited members keep their role.
        </p>
        {connections.length === 0
          ? <p className="text-sm text-slate-600">Group mappings belong to one of this organization&apos;s own SSO connections: an owner adds one under Single sign-on first. Groups from the platform sign-in grant nothing.</p>
          : <GroupMappingForm org={org} roles={roles} connections={connections.map((c) => ({ id: c.id, name: c.name, groupClaim: c.groupClaim }))} />}
      </Card>
      <Card title={`Mappings (${mappings.length})`}>
        {mappings.length === 0 ? <p className="text-sm text-slate-500">No groups are mapped.</p> : (
          <ul className="divide-y divide-slate-100 text-sm">
            {mappings.map((mapping) => {
              const editable = mapping.role !== 'OWNER' || ownerRights;
              return (
                <li key={mapping.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span className="min-w-0 break-all"><code className="font-medium">{mapping.group}</code> <span className="text-slate-500">via {mapping.connection.name}</span></span>
                  <span className="flex flex-wrap items-center gap-3">
                    {editable
                      ? <RoleChangeForm org={org} action={setGroupMappingAction} input={{ group: mapping.group, connectionId: mapping.connectionId }} current={mapping.role} roles={roles} subject={`the group ${mapping.group}`} />
                      : <span>{ROLE_LABELS[mapping.role]}</span>}
                    {editable && (
                      <ActionButton org={org} action={deleteGroupMappingAction} input={{ mappingId: mapping.id }} label="Delete" accessibleLabel={`Delete the mapping of ${mapping.group}`}
                        confirm={`Delete the mapping of “${mapping.group}”? Members who joined only through this group lose that membership at their next sign-in.`} />
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </div>
  );
}
