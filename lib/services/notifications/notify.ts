import type { TenantTx } from '../../platform/db/tenant';

export type NotificationInput = { type: string; title: string; link?: string | null };

const MAX_TITLE = 300;

/**
 * In-app notifications for the given users, in the caller's transaction: a notification exists exactly when
 * the change it announces does. Duplicate ids get one notification.
 */
export async function notifyUsers(tx: TenantTx, organizationId: string, userIds: Iterable<string>, notification: NotificationInput): Promise<number> {
  const recipients = [...new Set(userIds)];
  if (recipients.length === 0) return 0;
  const title = notification.title.length > MAX_TITLE ? `${notification.title.slice(0, MAX_TITLE - 1)}…` : notification.title;
  const result = await tx.notification.createMany({
    data: recipients.map((userId) => ({ organizationId, userId, type: notification.type, title, link: notification.link ?? null })),
  });
  return result.count;
}

/**
 * Marks read every unread notification of `type` pointing at `link`, whoever it went to: what it asked for is
 * done (a risk acceptance request another admin has decided), so it no longer waits in anyone's unread count.
 */
export async function resolveNotifications(tx: TenantTx, match: { type: string; link: string }, at: Date = new Date()): Promise<number> {
  const result = await tx.notification.updateMany({ where: { type: match.type, link: match.link, readAt: null }, data: { readAt: at } });
  return result.count;
}

export async function teamMemberIds(tx: TenantTx, teamId: string): Promise<string[]> {
  const members = await tx.teamMember.findMany({ where: { teamId }, select: { userId: true } });
  return members.map((member) => member.userId);
}

/** The people who may decide risk acceptances (OWNER and ADMIN), for "a decision is waiting for you". */
export async function approverIds(tx: TenantTx): Promise<string[]> {
  const members = await tx.membership.findMany({ where: { role: { in: ['OWNER', 'ADMIN'] } }, select: { userId: true } });
  return members.map((member) => member.userId);
}
