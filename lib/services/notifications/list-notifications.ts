import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { ListNotificationsQuerySchema, type ListNotificationsQueryInput } from './schemas';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/** The signed-in user's notifications in this organization, newest first, with the unread count for the bell. */
export async function listNotifications(ctx: OrgContext, query: ListNotificationsQueryInput = {}) {
  authorize(ctx, 'org.read');
  const userId = requireUserId(ctx, 'read notifications');
  const { unreadOnly, limit, cursor } = parseInput(ListNotificationsQuerySchema, query);
  const db = dbFor(ctx);
  const after = cursor ? await db.notification.findFirst({ where: { id: cursor, userId }, select: { id: true, createdAt: true } }) : null;
  const [rows, unreadCount] = await Promise.all([
    db.notification.findMany({
      where: {
        userId,
        ...(unreadOnly ? { readAt: null } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: { id: true, type: true, title: true, link: true, readAt: true, createdAt: true },
    }),
    db.notification.count({ where: { userId, readAt: null } }),
  ]);
  const items = rows.slice(0, limit);
  return { items, unreadCount, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** How many of the signed-in user's notifications in this organization are unread (the navigation's badge); 0 for non-users. */
export async function countUnreadNotifications(ctx: OrgContext): Promise<number> {
  authorize(ctx, 'org.read');
  if (ctx.actor.kind !== 'user') return 0;
  return dbFor(ctx).notification.count({ where: { userId: ctx.actor.userId, readAt: null } });
}
