import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { MarkNotificationsReadSchema, type MarkNotificationsReadInput } from './schemas';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/** Marks the given notifications (or all unread ones) read; only the user's own are touched. */
export async function markNotificationsRead(ctx: OrgContext, input: MarkNotificationsReadInput = {}): Promise<{ updated: number }> {
  authorize(ctx, 'org.read');
  const userId = requireUserId(ctx, 'read notifications');
  const { notificationIds } = parseInput(MarkNotificationsReadSchema, input);
  const result = await dbFor(ctx).notification.updateMany({
    where: { userId, readAt: null, ...(notificationIds ? { id: { in: notificationIds } } : {}) },
    data: { readAt: new Date() },
  });
  return { updated: result.count };
}
