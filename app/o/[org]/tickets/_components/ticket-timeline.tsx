import Link from 'next/link';
import { formatDateTime } from '@/app/_components/date-format';
import type { TimelineLine } from '@/lib/services/tickets/timeline';

type Event = { id: string; at: Date; type: string; line: TimelineLine };

/** Oldest first. One update writes its field changes and its status change at the same instant: the status reads last. */
export function TicketTimeline({ events, org }: { events: Event[]; org: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">Nothing yet.</p>;
  const ordered = events.map((event, index) => ({ event, index })).sort((a, b) => a.event.at.getTime() - b.event.at.getTime()
    || Number(a.event.type === 'status_changed') - Number(b.event.type === 'status_changed') || a.index - b.index).map(({ event }) => event);
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
      {ordered.map((event) => {
        const { line } = event;
        const automatic = event.type === 'finding_resolved' || event.type === 'finding_reopened';
        return (
          <li key={event.id} className="relative text-sm">
            <span aria-hidden="true" className={`absolute -left-[1.35rem] top-1.5 size-2.5 rounded-full ${event.type === 'note' ? 'bg-brand-500' : automatic ? 'bg-emerald-500' : 'bg-slate-400'}`} />
            <p>
              <span className="font-medium">
                {line.text}
                {line.link && <Link href={`/o/${org}/findings/${line.link.findingId}`} className="text-brand-700 hover:underline">{line.link.label}</Link>}
              </span>{' '}
              <time dateTime={event.at.toISOString()} className="text-xs text-slate-500">{formatDateTime(event.at)}</time>
            </p>
            {line.detail && <p className={`mt-1 whitespace-pre-wrap break-words ${event.type === 'note' ? 'rounded-md bg-slate-50 px-3 py-2' : 'text-slate-600'}`}>{line.detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}
