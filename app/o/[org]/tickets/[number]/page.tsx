import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { can } from '@/lib/platform/auth/permissions';
import { getTicket } from '@/lib/services/tickets/get-ticket';
import { listMembers } from '@/lib/services/orgs/members';
import { isAssignableRole } from '@/lib/services/findings/assignable';
import { CATALOG } from '@/lib/analysis/controls/catalog';
import { Card } from '@/app/_components/card';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { StatusBadge } from '@/app/_components/status-badge';
import { DueDate } from '@/app/_components/due-date';
import { personName } from '@/app/_components/person-name';
import { formatDateTime } from '@/app/_components/date-format';
import { jiraLinksFor } from '@/lib/services/jira/issues';
import { jiraReady } from '@/lib/services/jira/connection';
import { JiraIssues } from '../../_components/jira-issues';
import { TicketSeverityBadge } from '../_components/ticket-severity-badge';
import { TicketStatusBadge } from '../_components/ticket-status-badge';
import { TicketTimeline } from '../_components/ticket-timeline';
import { ClosingForm, EditTicketForm, StatusButtons, TicketNoteForm } from '../_components/ticket-forms';

export const metadata: Metadata = { title: 'Ticket' };
export const dynamic = 'force-dynamic';

const CONTROL_TITLES = new Map(CATALOG.map((control) => [control.id, control.title]));

export default async function TicketPage({ params }: { params: Promise<{ org: string; number: string }> }) {
  const { org, number } = await params;
  const ctx = await requireOrgContext(org);
  const [{ ticket, findings, timeline }, { members }] = await Promise.all([orNotFound(getTicket(ctx, number)), listMembers(ctx)]);
  const [jiraLinks, jiraSetUp] = await Promise.all([jiraLinksFor(ctx, { ticketId: ticket.id }), jiraReady(ctx)]);
  const now = new Date();
  const base = `/o/${org}`;
  const canManage = can(ctx, 'ticket.manage');
  const closed = ticket.status === 'CLOSED';
  const open = findings.filter((f) => f.status !== 'RESOLVED').length;
  const stillOpen = findings.filter((f) => f.status === 'OPEN' || f.status === 'ACKNOWLEDGED').length;
  // Tickets go only to people who can work them (owners, admins, members).
  const assignable = members.filter((m) => isAssignableRole(m.role));

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm"><Link href={`${base}/tickets`} className="text-brand-700 hover:underline">← Tickets</Link></nav>
      <header className="mb-6">
        <div className="flex flex-wrap items-center gap-2">
          <TicketSeverityBadge severity={ticket.severity} />
          <TicketStatusBadge status={ticket.status} />
        </div>
        <h1 className="mt-2 text-2xl font-bold tracking-tight"><span className="text-slate-500">#{ticket.number}</span> {ticket.title}</h1>
        <p className="mt-1 text-sm text-slate-600">
          Opened by {personName(ticket.createdBy, 'Bulwark (automatic)')} on {formatDateTime(ticket.createdAt)}
          {ticket.closedAt && <> · closed {formatDateTime(ticket.closedAt)}</>}
        </p>
      </header>

      <div className="grid gap-4 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="min-w-0 space-y-4">
          {ticket.description && <Card title="Description"><p className="whitespace-pre-wrap break-words text-sm">{ticket.description}</p></Card>}
          <Card title={`Linked findings (${findings.length}${findings.length ? `, ${open} not resolved` : ''})`}>
            {findings.length === 0 ? <p className="text-sm text-slate-500">No finding is linked. Open a ticket from findings to link them.</p> : (
              <div className="overflow-x-auto">
                <table className="w-full min-w-[36rem] text-left text-sm">
                  <thead className="text-xs uppercase text-slate-500">
                    <tr><th scope="col" className="py-2 pr-3">Severity</th><th scope="col" className="pr-3">Finding</th><th scope="col" className="pr-3">Cluster</th><th scope="col" className="pr-3">Status</th><th scope="col">Due</th></tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {findings.map((f) => (
                      <tr key={f.id} className="align-top">
                        <td className="py-2 pr-3"><SeverityBadge severity={f.severity} /></td>
                        <td className="py-2 pr-3">
                          <Link href={`${base}/findings/${f.id}`} className="font-medium text-brand-700 hover:underline">{CONTROL_TITLES.get(f.controlId) ?? f.controlId}</Link>
                          <span className="block break-all text-xs text-slate-600">{f.resourceKind} {f.resourceNamespace ? `${f.resourceNamespace}/` : ''}{f.resourceName}</span>
                        </td>
                        <td className="py-2 pr-3">{f.clusterName}</td>
                        <td className="py-2 pr-3"><StatusBadge status={f.status} /></td>
                        <td className="whitespace-nowrap py-2"><DueDate date={f.dueAt} overdue={(f.status === 'OPEN' || f.status === 'ACKNOWLEDGED') && f.dueAt !== null && f.dueAt < now} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Card>
          <Card title="Timeline">
            <TicketTimeline events={timeline} org={org} />
            {canManage && <div className="mt-4 border-t border-slate-100 pt-4"><TicketNoteForm org={org} ticketId={ticket.id} /></div>}
          </Card>
        </div>

        <div className="min-w-0 space-y-4">
          <Card title="Status">
            <p className="mb-3 text-sm">Now <TicketStatusBadge status={ticket.status} />. A ticket only moves forward.</p>
            {canManage && !closed && <StatusButtons org={org} ticketId={ticket.id} status={ticket.status} />}
            {closed && <p className="text-sm text-slate-600">Closed tickets are a record: they take updates but no changes.</p>}
          </Card>
          <Card title="Jira">
            <JiraIssues org={org} subject={{ ticketId: ticket.id }} subjectOpen={ticket.status !== 'RESOLVED' && ticket.status !== 'CLOSED'} canCreate={can(ctx, 'jira.create')} ready={jiraSetUp}
              links={jiraLinks.map((l) => ({ id: l.id, issueKey: l.issueKey, url: l.url, status: l.status, statusCategory: l.statusCategory, lastSynced: formatDateTime(l.lastSyncedAt) }))} />
          </Card>
          <Card title="Details">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Severity</dt><dd><TicketSeverityBadge severity={ticket.severity} /></dd>
              <dt className="text-slate-500">Assignee</dt><dd>{ticket.assignee ? personName(ticket.assignee) : <span className="text-slate-500">nobody</span>}</dd>
              <dt className="text-slate-500">Due</dt><dd><DueDate date={ticket.dueAt} overdue={!closed && ticket.status !== 'RESOLVED' && ticket.dueAt !== null && ticket.dueAt < now} /></dd>
            </dl>
            {canManage && !closed && (
              <details className="mt-3 border-t border-slate-100 pt-3">
                <summary className="cursor-pointer text-sm font-medium text-brand-700">Edit details</summary>
                <div className="mt-3">
                  <EditTicketForm org={org} members={assignable.map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }))}
                    ticket={{ id: ticket.id, title: ticket.title, description: ticket.description, severity: ticket.severity, assigneeUserId: ticket.assigneeUserId, dueAt: ticket.dueAt?.toISOString().slice(0, 10) ?? null }} />
                </div>
              </details>
            )}
          </Card>
          <Card title={closed ? 'Review' : 'Close the ticket'}>
            {closed || !canManage ? (
              <dl className="space-y-2 text-sm">
                <div><dt className="font-medium">Root cause</dt><dd className="whitespace-pre-wrap break-words text-slate-700">{ticket.rootCause ?? '–'}</dd></div>
                <div><dt className="font-medium">Resolution</dt><dd className="whitespace-pre-wrap break-words text-slate-700">{ticket.resolution ?? '–'}</dd></div>
                <div><dt className="font-medium">Follow-ups</dt><dd className="whitespace-pre-wrap break-words text-slate-700">{ticket.followUps ?? '–'}</dd></div>
              </dl>
            ) : (
              <ClosingForm org={org} ticketId={ticket.id} openFindings={stillOpen} initial={{ rootCause: ticket.rootCause, resolution: ticket.resolution, followUps: ticket.followUps }} />
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
