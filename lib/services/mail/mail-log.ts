import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';

export type MailLogRow = {
  id: string; category: string; recipient: string; subject: string; status: string; attempts: number;
  lastError: string | null; createdAt: Date; sentAt: Date | null;
};

/** The organization's mail log for its owners and admins, newest first (never a body: none is kept). */
export async function listMailLog(ctx: OrgContext, options: { limit?: number } = {}): Promise<MailLogRow[]> {
  authorize(ctx, 'org.manage');
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  return dbFor(ctx).mailMessage.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, category: true, recipient: true, subject: true, status: true, attempts: true, lastError: true, createdAt: true, sentAt: true },
  });
}
