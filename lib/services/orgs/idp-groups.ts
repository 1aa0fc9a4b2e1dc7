import { dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { assertMayManageOwners } from './members';
import { DeleteGroupMappingSchema, parseInput, SetGroupMappingSchema, type DeleteGroupMappingInput, type SetGroupMappingInput } from './schemas';

// Mappings take effect at each person's next sign-in (lib/services/identity/sign-in.ts): a mapped group grants its role, and
// losing every mapped group removes a membership that came from one. A mapping belongs to one of the organization's
// own SSO connections and counts only for a sign-in through that connection (the claim named by its groupClaim):
// the same group name from another connection or the platform IdP grants nothing. A mapping to OWNER makes everyone in that
// group an owner, so only owners may create, change or delete one.

export async function listGroupMappings(ctx: OrgContext) {
  authorize(ctx, 'member.manage');
  return dbFor(ctx).idpGroupMapping.findMany({
    orderBy: [{ connection: { name: 'asc' } }, { group: 'asc' }],
    select: { id: true, group: true, role: true, connectionId: true, connection: { select: { name: true } } },
  });
}

/** Maps an IdP group to a role, or changes the role of an existing mapping of that group. */
export async function setGroupMapping(ctx: OrgContext, input: SetGroupMappingInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(SetGroupMappingSchema, input);
  if (data.role === 'OWNER') assertMayManageOwners(ctx, 'map a group to the owner role');
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const connection = await tx.ssoConnection.findUnique({ where: { id: data.connectionId }, select: { id: true } });
      if (!connection) throw new AppError('not_found', 'SSO connection not found', [{ path: 'connectionId', message: 'not one of this organization\'s connections' }]);
      const existing = await tx.idpGroupMapping.findFirst({ where: { connectionId: data.connectionId, group: data.group } });
      if (existing?.role === 'OWNER') assertMayManageOwners(ctx, 'change a mapping to the owner role');
      if (existing?.role === data.role) return { id: existing.id, group: existing.group, role: existing.role, connectionId: existing.connectionId };
      const mapping = existing
        ? await tx.idpGroupMapping.update({ where: { id: existing.id }, data: { role: data.role } })
        : await tx.idpGroupMapping.create({ data: { organizationId: ctx.organizationId, connectionId: data.connectionId, group: data.group, role: data.role } });
      await writeAudit(tx, ctx, { action: 'idp_group_mapping.set', targetType: 'IdpGroupMapping', targetId: mapping.id, before: existing ? { group: existing.group, role: existing.role, connectionId: existing.connectionId } : undefined, after: { group: mapping.group, role: mapping.role, connectionId: mapping.connectionId } });
      return { id: mapping.id, group: mapping.group, role: mapping.role, connectionId: mapping.connectionId };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `The group "${data.group}" was mapped at the same moment by someone else; reload and try again`, [{ path: 'group', message: 'already mapped' }]);
    }
    throw error;
  }
}

/** Deletes a mapping. Members it granted keep their membership until their next sign-in, which removes it. */
export async function deleteGroupMapping(ctx: OrgContext, input: DeleteGroupMappingInput) {
  authorize(ctx, 'member.manage');
  const data = parseInput(DeleteGroupMappingSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const mapping = await tx.idpGroupMapping.findUnique({ where: { id: data.mappingId } });
    if (!mapping) throw new AppError('not_found', 'Group mapping not found');
    if (mapping.role === 'OWNER') assertMayManageOwners(ctx, 'delete a mapping to the owner role');
    await tx.idpGroupMapping.delete({ where: { id: mapping.id } });
    await writeAudit(tx, ctx, { action: 'idp_group_mapping.deleted', targetType: 'IdpGroupMapping', targetId: mapping.id, before: { group: mapping.group, role: mapping.role, connectionId: mapping.connectionId } });
    return { id: mapping.id };
  });
}
