import Link from 'next/link';
import type { TimelineEntry } from '@/lib/services/findings/get-finding';
import { formatDateTime, formatDay } from '@/app/_components/date-format';
import { personName } from '@/app/_components/person-name';

type Names = { people: ReadonlyMap<string, string>; teams: ReadonlyMap<string, string> };
type Line = { text: React.ReactNode; detail?: string | null };

function str(data: unknown, key: string): string | null {
  if (typeof data !== 'object' || data === null || !(key in data)) return null;
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
function has(data: unknown, key: string): boolean {
  return typeof data === 'object' && data !== null && key in data;
}
const day = (iso: string | null) => (iso ? formatDay(iso) : null);

/** One event in plain words: who did what ("Erin Engineer acknowledged"), or what the pipeline saw. */
function describe(entry: Extract<TimelineEntry, { kind: 'event' }>, names: Names, org: string): Line {
  const who = personName(entry.actor, 'Someone');
  const { data } = entry;
  switch (entry.type) {
    case 'opened': return { text: 'Found by a snapshot' };
    case 'resolved': return { text: 'Resolved by a later snapshot', detail: str(data, 'reason') };
    case 'reopened': return { text: 'Reopened: seen again', detail: 'the problem was back in a later snapshot' };
    case 'exception_applied': return { text: 'Resolved: covered by a scoped exception' };
    case 'acknowledged': return { text: `${who} acknowledged`, detail: str(data, 'note') };
    case 'assigned': {
      const parts: string[] = [];
      if (has(data, 'assigneeUserId')) {
        const id = str(data, 'assigneeUserId');
        parts.push(id ? (names.people.get(id) ?? 'a former member') : 'nobody');
      }
      if (has(data, 'assigneeTeamId')) {
        const id = str(data, 'assigneeTeamId');
        parts.push(id ? `team ${names.teams.get(id) ?? '(deleted)'}` : 'no team');
      }
      const cleared = parts.every((part) => part === 'nobody' || part === 'no team');
      return { text: cleared ? `${who} unassigned it` : `${who} assigned it to ${parts.filter((p) => p !== 'nobody' && p !== 'no team').join(' and ')}` };
    }
    case 'due_date_set': {
      const from = day(str(data, 'from'));
      const to = day(str(data, 'to'));
      if (!to) return { text: `${who} removed the due date` };
      return { text: from ? `${who} moved the due date from ${from} to ${to}` : `${who} set the due date to ${to}` };
    }
    case 'risk_requested': return { text: `${who} requested a risk acceptance until ${day(str(data, 'expiresAt')) ?? '?'}` };
    case 'risk_approved': return { text: `Risk acceptance approved by ${who} until ${day(str(data, 'expiresAt')) ?? '?'}`, detail: str(data, 'note') };
    case 'risk_rejected': return { text: `Risk acceptance rejected by ${who}`, detail: str(data, 'note') };
    case 'risk_expired': return { text: `Risk acceptance expired${str(data, 'expiresAt') ? ` on ${day(str(data, 'expiresAt'))}` : ''}: the finding counts again` };
    case 'risk_revoked': return { text: `${who} revoked the risk acceptance`, detail: str(data, 'reason') };
    case 'false_positive': {
      const scope = str(data, 'scope');
      const exception = scope ? ` with a ${scope.toLowerCase()} exception until ${day(str(data, 'expiresAt')) ?? '?'}` : '';
      return { text: `${who} marked it a false positive${exception}`, detail: str(data, 'reason') };
    }
    case 'exception_requested': return { text: `${who} asked for a ${str(data, 'scope')?.toLowerCase() ?? ''} exception until ${day(str(data, 'expiresAt')) ?? '?'}, calling it a false positive: waiting for another owner or admin`, detail: str(data, 'reason') };
    case 'exception_approved': return { text: `${who} approved the ${str(data, 'scope')?.toLowerCase() ?? ''} exception`, detail: str(data, 'note') };
    case 'exception_rejected': return { text: `${who} rejected the ${str(data, 'scope')?.toLowerCase() ?? ''} exception`, detail: str(data, 'note') };
    case 'ticket_linked': {
      const number = str(data, 'number');
      return { text: number ? <>{who} linked it to <Link href={`/o/${org}/tickets/${number}`} className="text-brand-700 hover:underline">ticket #{number}</Link></> : `${who} linked it to a ticket` };
    }
    default: return { text: entry.type.replaceAll('_', ' ') };
  }
}

/** Events and comments in one list, oldest first, as getFinding merged them. */
export function FindingTimeline({ entries, names, org }: { entries: TimelineEntry[]; names: Names; org: string }) {
  if (entries.length === 0) return <p className="text-sm text-slate-500">Nothing has happened yet.</p>;
  return (
    <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
      {entries.map((entry) => {
        const line = entry.kind === 'comment' ? { text: `${personName(entry.actor, 'Someone')} commented`, detail: null } : describe(entry, names, org);
        return (
          <li key={`${entry.kind}-${entry.id}`} className="relative text-sm">
            <span aria-hidden="true" className={`absolute -left-[1.35rem] top-1.5 size-2.5 rounded-full ${entry.kind === 'comment' ? 'bg-brand-500' : 'bg-slate-400'}`} />
            <p><span className="font-medium">{line.text}</span> <time dateTime={entry.at.toISOString()} className="text-xs text-slate-500">{formatDateTime(entry.at)}</time></p>
            {entry.kind === 'comment'
              ? <p className="mt-1 whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2">{entry.body}</p>
              : line.detail && <p className="mt-0.5 whitespace-pre-wrap break-words text-slate-600">{line.detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}
