import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { requireOrgContext } from '@/lib/web/context';
import { listNotifications } from '@/lib/services/notifications/list-notifications';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { TimeAgo } from '@/app/_components/time-ago';
import { KeysetPager } from '@/app/_components/keyset-pager';
import { buttonStyles } from '@/app/_components/button-styles';
import { hrefWith } from '@/app/_components/query-href';
import { MarkReadButton } from './_components/mark-read-button';

export const metadata: Metadata = { title: 'Notifications' };
export const dynamic = 'force-dynamic';

const QuerySchema = z.object({
  unread: z.preprocess((value) => value === '1', z.boolean()).catch(false),
  cursor: z.uuid().optional().catch(undefined),
});

/** A stored link is followed only when it stays inside this organization's pages (never another site or scheme). */
function safeLink(org: string, link: string | null): string | null {
  return link && link.startsWith(`/o/${org}/`) && !link.startsWith('//') ? link : null;
}

export default async function NotificationsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const query = QuerySchema.parse(await searchParams);
  const base = `/o/${org}/notifications`;
  const now = new Date();
  const { items, unreadCount, nextCursor } = await listNotifications(ctx, { unreadOnly: query.unread, cursor: query.cursor, limit: 30 });
  const unreadIds = items.filter((item) => !item.readAt).map((item) => item.id);

  return (
    <>
      <PageHeader
        title="Notifications"
        description={unreadCount === 0 ? 'You are all caught up.' : `${unreadCount} unread`}
        actions={unreadCount > 0 ? <MarkReadButton org={org} label="Mark all as read" className={buttonStyles.secondary} /> : undefined}
      />
      <nav aria-label="Notification filters" className="mb-4 flex gap-2">
        {[{ label: 'All', unread: false }, { label: 'Unread', unread: true }].map((tab) => (
          <Link key={tab.label} href={hrefWith(base, { unread: tab.unread })} aria-current={query.unread === tab.unread ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${query.unread === tab.unread ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}>
            {tab.label}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <EmptyState title={query.unread ? 'No unread notifications' : 'No notifications yet'} action={null}>
          You are told here when a finding or ticket is assigned to you or your team, and when a risk acceptance needs your decision or was decided.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
          {items.map((item) => {
            const href = safeLink(org, item.link);
            return (
              <li key={item.id} className={`flex flex-wrap items-start justify-between gap-3 px-4 py-3 ${item.readAt ? '' : 'bg-brand-50/50'}`}>
                <div className="min-w-0">
                  <p className="text-sm">
                    {!item.readAt && <span className="mr-2 inline-block size-2 rounded-full bg-brand-600 align-middle" aria-hidden="true" />}
                    {!item.readAt && <span className="sr-only">Unread: </span>}
                    {href ? <Link href={href} className="font-medium text-brand-700 hover:underline">{item.title}</Link> : <span className="font-medium">{item.title}</span>}
                  </p>
                  <p className="text-xs text-slate-500"><TimeAgo date={item.createdAt} now={now} /></p>
                </div>
                {!item.readAt && (
                  <MarkReadButton org={org} notificationIds={[item.id]} label="Mark as read" accessibleLabel={`Mark as read: “${item.title}”`} className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60" />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {unreadIds.length > 1 && unreadIds.length < unreadCount && <p className="mt-2 text-xs text-slate-500">“Mark all as read” includes unread notifications on other pages.</p>}
      <KeysetPager
        label="Notification pages"
        firstHref={query.cursor ? hrefWith(base, { unread: query.unread }) : null}
        nextHref={nextCursor ? hrefWith(base, { unread: query.unread, cursor: nextCursor }) : null}
      />
    </>
  );
}
