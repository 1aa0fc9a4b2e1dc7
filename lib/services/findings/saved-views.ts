import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import { requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import {
  CreateSavedViewSchema, DeleteSavedViewSchema, MAX_SAVED_VIEWS, RenameSavedViewSchema,
  type CreateSavedViewInput, type DeleteSavedViewInput, type RenameSavedViewInput,
} from './schemas';
import { parseInput } from '@/lib/platform/input';
import { isUniqueViolation } from '../../platform/db/unique-violation';

/**
 * Saved findings views: a name for the findings page's query string, private to the user who saved it, within
 * one organization. Every query names the signed-in user (another member's view is "not found", as is one of
 * another organization, which row-level security hides too). Viewers and auditors may save views: they only read.
 */

export type SavedView = { id: string; name: string; query: string; createdAt: Date; updatedAt: Date };
const SELECT = { id: true, name: true, query: true, createdAt: true, updatedAt: true } as const;

function duplicateName(name: string): AppError {
  return new AppError('conflict', `You already have a view named "${name}"`, [{ path: 'name', message: 'already used by another of your views' }]);
}

/**
 * Row-locks the user's membership (a no-op write), so two saves at once count each other's view and the cap
 * holds; a member who left has no membership and no views.
 */
async function lockMember(tx: TenantTx, userId: string): Promise<void> {
  const locked = await tx.membership.updateMany({ where: { userId }, data: { userId } });
  if (locked.count === 0) throw new AppError('forbidden', 'You are not a member of this organization');
}

/** The signed-in user's views in this organization, by name. */
export async function listSavedViews(ctx: OrgContext): Promise<SavedView[]> {
  authorize(ctx, 'finding.read');
  const userId = requireUserId(ctx, 'have saved views');
  return dbFor(ctx).savedFindingView.findMany({ where: { userId }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: SELECT });
}

/** Names the current list (its query string); at most MAX_SAVED_VIEWS per user and organization, names unique. */
export async function createSavedView(ctx: OrgContext, input: CreateSavedViewInput): Promise<SavedView> {
  authorize(ctx, 'finding.read');
  const userId = requireUserId(ctx, 'save a view');
  const { name, query } = parseInput(CreateSavedViewSchema, input);
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      await lockMember(tx, userId);
      if (await tx.savedFindingView.count({ where: { userId, name } }) > 0) throw duplicateName(name);
      const count = await tx.savedFindingView.count({ where: { userId } });
      if (count >= MAX_SAVED_VIEWS) {
        throw new AppError('conflict', `You have ${MAX_SAVED_VIEWS} saved views, the most there can be: delete one first`, [{ path: 'name', message: `at most ${MAX_SAVED_VIEWS} views` }]);
      }
      return tx.savedFindingView.create({ data: { organizationId: ctx.organizationId, userId, name, query }, select: SELECT });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function renameSavedView(ctx: OrgContext, input: RenameSavedViewInput): Promise<SavedView> {
  authorize(ctx, 'finding.read');
  const userId = requireUserId(ctx, 'rename a view');
  const { viewId, name } = parseInput(RenameSavedViewSchema, input);
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const renamed = await tx.savedFindingView.updateMany({ where: { id: viewId, userId }, data: { name } });
      if (renamed.count === 0) throw new AppError('not_found', 'Saved view not found');
      return tx.savedFindingView.findUniqueOrThrow({ where: { id: viewId }, select: SELECT });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

export async function deleteSavedView(ctx: OrgContext, input: DeleteSavedViewInput): Promise<{ deleted: string }> {
  authorize(ctx, 'finding.read');
  const userId = requireUserId(ctx, 'delete a view');
  const { viewId } = parseInput(DeleteSavedViewSchema, input);
  const deleted = await dbFor(ctx).savedFindingView.deleteMany({ where: { id: viewId, userId } });
  if (deleted.count === 0) throw new AppError('not_found', 'Saved view not found');
  return { deleted: viewId };
}
