import Link from 'next/link';
import { formatDateTime, formatDay } from '@/app/_components/date-format';
import { personName, type PersonRef } from '@/app/_components/person-name';
import { ticketStatusLabel } from './ticket-status-badge';

type Event = { id: string; at: Date; type: string; data: unknown; actor: PersonRef | null };

const FIELD_LABELS: Record<string, string> = {
  title: 'title', description: 'description', severity: 'severity', assigneeUserId: 'assignee', dueAt: 'due date',
  rootCause: 'root cause', resolution: 'resolution', followUps: 'follow-ups',
};
const RESOLUTION: Record<string, string> = { FIXED: 'fixed', FALSE_POSITIVE: 'dismissed as a false positive', EXCEPTION: 'covered by an exception' };

function value(data: unknown, key: string): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : undefined;
}
function str(data: unknown, key: string): string | null {
  const v = value(data, key);
  return typeof v === 'string' ? v : null;
}
function count(data: unknown, key: string): number {
  const v = value(data, key);
  return Array.isArray(v) ? v.length : 0;
}

function describe(event: Event, people: ReadonlyMap<string, string>, org: string): { text: React.ReactNode; detail?: string | null } {
  const who = personName(event.actor, 'Bulwark');
  const { data } = event;
  switch (event.type) {
    case 'created': {
      const n = count(data, 'findingIds');
      return { text: `${who} opened the ticket${n ? ` with ${n} finding${n === 1 ? '' : 's'}` : ''}` };
    }
    case 'findings_linked': {
      const n = count(data, 'findingIds');
      return { text: `${who} linked ${n} more finding${n === 1 ? '' : 's'}` };
    }
    case 'status_changed': return { text: `${who} moved it from ${ticketStatusLabel(str(data, 'from') ?? '?')} to ${ticketStatusLabel(str(data, 'to') ?? '?')}` };
    case 'field_changed': {
      const field = str(data, 'field') ?? '';
      const to = str(data, 'to');
      if (field === 'assigneeUserId') return { text: to ? `${who} assigned it to ${people.get(to) ?? 'a former member'}` : `${who} unassigned it` };
      if (field === 'dueAt') return { text: to ? `${who} set the due date to ${formatDay(to)}` : `${who} removed the due date` };
      if (field === 'severity' || field === 'title') return { text: `${who} changed the ${FIELD_LABELS[field]} to ${to ?? '–'}` };
      return { text: `${who} ${to ? 'updated' : 'cleared'} the ${FIELD_LABELS[field] ?? field}`, detail: field === 'description' ? null : to };
    }
    case 'note': return { text: `${who} added an update`, detail: str(data, 'body') };
    case 'finding_resolved': {
      const id = str(data, 'findingId');
      const reason = str(data, 'resolutionReason');
      const label = `${str(data, 'controlId') ?? 'A finding'} on ${str(data, 'resource') ?? 'a resource'}`;
      return { text: <>Linked finding resolved{reason && RESOLUTION[reason] ? ` (${RESOLUTION[reason]})` : ''}: {id ? <Link href={`/o/${org}/findings/${id}`} className="text-brand-700 hover:underline">{label}</Link> : label}</> };
    }
    case 'finding_reopened': {
      const id = str(data, 'findingId');
      const label = `${str(data, 'controlId') ?? 'A finding'} on ${str(data, 'resource') ?? 'a resource'}`;
      return { text: <>Linked finding reopened, seen again: {id ? <Link href={`/o/${org}/findings/${id}`} className="text-brand-700 hover:underline">{label}</Link> : label}</> };
    }
    default: return { text: event.type.replaceAll('_', ' ') };
  }
}

/** Oldest first. One update writes its field changes and its status change at the same instant: the status reads last. */
export function TicketTimeline({ events, people, org }: { events: Event[]; people: ReadonlyMap<string, string>; org: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">Nothing yet.</p>;
  const ordered = events.map((event, index) => ({ event, index })).sort((a, b) => a.event.at.getTime() - b.event.at.getTime()
    || Number(a.event.type === 'status_changed') - Number(b.event.type === 'status_changed') || a.index - b.index).map(({ event }) => event);
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
      {ordered.map((event) => {
        const line = describe(event, people, org);
        const automatic = event.type === 'finding_resolved' || event.type === 'finding_reopened';
        return (
          <li key={event.id} className="relative text-sm">
            <span aria-hidden="true" className={`absolute -left-[1.35rem] top-1.5 size-2.5 rounded-full ${event.type === 'note' ? 'bg-brand-500' : automatic ? 'bg-emerald-500' : 'bg-slate-400'}`} />
            <p><span className="font-medium">{line.text}</span> <time dateTime={event.at.toISOString()} className="text-xs text-slate-500">{formatDateTime(event.at)}</time></p>
            {line.detail && <p className={`mt-1 whitespace-pre-wrap break-words ${event.type === 'note' ? 'rounded-md bg-slate-50 px-3 py-2' : 'text-slate-600'}`}>{line.detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}
