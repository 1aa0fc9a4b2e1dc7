import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import type { OrgContext } from '@/lib/platform/auth/context';
import { listTickets } from '@/lib/services/tickets/list-tickets';
import { TICKET_SEVERITIES, TICKET_STATUSES } from '@/lib/services/tickets/schemas';
import { listMembers } from '@/lib/services/orgs/members';
import { isAssignableRole } from '@/lib/services/findings/assignable';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { TimeAgo } from '@/app/_components/time-ago';
import { DueDate } from '@/app/_components/due-date';
import { KeysetPager } from '@/app/_components/keyset-pager';
import { buttonStyles } from '@/app/_components/button-styles';
import { compactInputStyles } from '@/app/_components/form-styles';
import { hrefWith } from '@/app/_components/query-href';
import { personName } from '@/app/_components/person-name';
import { dayAfter } from '@/app/_components/date-format';
import { TicketSeverityBadge } from './_components/ticket-severity-badge';
import { TicketStatusBadge, ticketStatusLabel } from './_components/ticket-status-badge';
import { NewTicketForm } from './_components/new-ticket-form';

export const metadata: Metadata = { title: 'Tickets' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;
const COUNT_CAP = 200;

const QuerySchema = z.object({
  status: z.enum(TICKET_STATUSES).optional().catch(undefined),
  severity: z.enum(TICKET_SEVERITIES).optional().catch(undefined),
  cursor: z.string().regex(/^\d{1,9}$/).optional().catch(undefined),
});

// TODO(#7): lib/services/tickets has no count query; until it does, count by listing each status (capped, shown as "200+").
async function countByStatus(ctx: OrgContext, severity: (typeof TICKET_SEVERITIES)[number] | undefined) {
  const pages = await Promise.all(TICKET_STATUSES.map((status) => listTickets(ctx, { status: [status], severity: severity ? [severity] : undefined, limit: COUNT_CAP })));
  return TICKET_STATUSES.map((status, index) => ({ status, count: pages[index]?.items.length ?? 0, more: Boolean(pages[index]?.nextCursor) }));
}

export default async function TicketsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const query = QuerySchema.parse(await searchParams);
  const base = `/o/${org}/tickets`;
  const now = new Date();
  const canManage = can(ctx, 'ticket.manage');
  const [page, counts, { members }] = await Promise.all([
    listTickets(ctx, { status: query.status ? [query.status] : undefined, severity: query.severity ? [query.severity] : undefined, cursor: query.cursor, limit: PAGE_SIZE }),
    countByStatus(ctx, query.severity),
    listMembers(ctx),
  ]);
  const total = counts.reduce((sum, c) => sum + c.count, 0);

  return (
    <>
      <PageHeader title="Tickets" description="Incidents and remediation work, from findings or on their own. A ticket only moves forward and closes with its root cause." />
      <nav aria-label="Tickets by status" className="mb-3 flex flex-wrap gap-2">
        {[{ status: undefined, label: 'All', count: total, more: counts.some((c) => c.more) }, ...counts.map((c) => ({ ...c, label: ticketStatusLabel(c.status) }))].map((tab) => {
          const active = tab.status === query.status;
          return (
            <Link key={tab.label} href={hrefWith(base, { status: tab.status, severity: query.severity })} aria-current={active ? 'page' : undefined}
              className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${active ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}>
              {tab.label} <span className="tabular-nums opacity-80">{tab.count}{tab.more ? '+' : ''}</span>
            </Link>
          );
        })}
      </nav>
      <form method="get" action={base} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter tickets">
        <div>
          <label htmlFor="t-status" className="mb-1 block text-xs font-medium text-slate-700">Status</label>
          <select id="t-status" name="status" defaultValue={query.status ?? ''} className={compactInputStyles}>
            <option value="">Any status</option>
            {TICKET_STATUSES.map((s) => <option key={s} value={s}>{ticketStatusLabel(s)}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="t-severity" className="mb-1 block text-xs font-medium text-slate-700">Severity</label>
          <select id="t-severity" name="severity" defaultValue={query.severity ?? ''} className={compactInputStyles}>
            <option value="">Any severity</option>
            {TICKET_SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="submit" className={buttonStyles.secondary}>Filter</button>
      </form>

      <div className="grid gap-4 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0">
          {page.items.length === 0 ? (
            <EmptyState title={query.status || query.severity ? 'No ticket matches' : 'No tickets yet'}
              action={query.status || query.severity ? <Link href={base} className={buttonStyles.secondary}>Show every ticket</Link> : null}>
              {canManage
                ? 'Open one from a finding (or several: select them on the Findings page), or create a standalone ticket with the form.'
                : 'Tickets opened from findings or for incidents appear here.'}
            </EmptyState>
          ) : (
            <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
              <table className="w-full min-w-[44rem] text-left text-sm">
                <caption className="sr-only">Tickets, newest first</caption>
                <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pl-4 pr-3">#</th><th scope="col" className="pr-3">Title</th><th scope="col" className="pr-3">Severity</th>
                    <th scope="col" className="pr-3">Status</th><th scope="col" className="pr-3">Assignee</th><th scope="col" className="pr-3">Findings</th>
                    <th scope="col" className="pr-3">Due</th><th scope="col" className="pr-4">Updated</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {page.items.map((ticket) => (
                    <tr key={ticket.id} className="hover:bg-slate-50">
                      <td className="py-2.5 pl-4 pr-3 tabular-nums text-slate-500">{ticket.number}</td>
                      <td className="max-w-sm py-2.5 pr-3"><Link href={`${base}/${ticket.number}`} className="font-medium text-brand-700 hover:underline">{ticket.title}</Link></td>
                      <td className="py-2.5 pr-3"><TicketSeverityBadge severity={ticket.severity} /></td>
                      <td className="py-2.5 pr-3"><TicketStatusBadge status={ticket.status} /></td>
                      <td className="py-2.5 pr-3">{ticket.assignee ? personName(ticket.assignee) : <span className="text-slate-500">nobody</span>}</td>
                      <td className="py-2.5 pr-3 tabular-nums">{ticket.findingCount}</td>
                      <td className="py-2.5 pr-3 whitespace-nowrap"><DueDate date={ticket.dueAt} overdue={ticket.status !== 'CLOSED' && ticket.status !== 'RESOLVED' && ticket.dueAt !== null && ticket.dueAt < now} /></td>
                      <td className="py-2.5 pr-4 whitespace-nowrap"><TimeAgo date={ticket.updatedAt} now={now} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <KeysetPager
            label="Ticket pages"
            firstHref={query.cursor ? hrefWith(base, { status: query.status, severity: query.severity }) : null}
            nextHref={page.nextCursor ? hrefWith(base, { status: query.status, severity: query.severity, cursor: page.nextCursor }) : null}
          />
        </div>
        {canManage && (
          <Card title="New ticket">
            <NewTicketForm org={org} members={members.filter((m) => isAssignableRole(m.role)).map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))} today={dayAfter(now, 0)} />
          </Card>
        )}
      </div>
    </>
  );
}
