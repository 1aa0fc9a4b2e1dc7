/** How a ticket's timeline reads: one sentence per event, from the event's stored data (pure, no I/O). */

export type TimelinePerson = { name: string | null; email: string };
export type TimelineEvent = { type: string; data: unknown; actor: TimelinePerson | null };
/** `link` names a finding the sentence ends with; `detail` is text shown under it (a note, a cleared field's old text). */
export type TimelineLine = { text: string; link?: { findingId: string; label: string }; detail?: string | null };

type Change = { field: string; from: unknown; to: unknown };

const FIELD_LABELS: Record<string, string> = {
  status: 'status', title: 'title', description: 'description', severity: 'severity', assigneeUserId: 'assignee',
  dueAt: 'due date', rootCause: 'root cause', resolution: 'resolution', followUps: 'follow-ups',
};
const RESOLUTION: Record<string, string> = { FIXED: 'fixed', FALSE_POSITIVE: 'dismissed as a false positive', EXCEPTION: 'covered by an exception', CONTROL_DISABLED: 'control disabled' };

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}
function str(data: unknown, key: string): string | null {
  const v = record(data)[key];
  return typeof v === 'string' ? v : null;
}
function count(data: unknown, key: string): number {
  const v = record(data)[key];
  return Array.isArray(v) ? v.length : 0;
}

/** "INVESTIGATING" → "Investigating". */
export function ticketStatusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

function personLabel(person: TimelinePerson | null | undefined, nobody: string): string {
  if (!person) return nobody;
  return person.name?.trim() || person.email;
}

/**
 * The changes of one update. An update stores `{ changes: [{ field, from, to }] }`; entries written before that
 * shape stored one change as `{ field, from, to }` (or `{ from, to }` for a status), so both read the same.
 */
export function ticketEventChanges(type: string, data: unknown): Change[] {
  const changes = record(data).changes;
  if (Array.isArray(changes)) {
    return changes.map(record).filter((c) => typeof c.field === 'string').map((c) => ({ field: c.field as string, from: c.from ?? null, to: c.to ?? null }));
  }
  const flat = record(data);
  if (typeof flat.field === 'string') return [{ field: flat.field, from: flat.from ?? null, to: flat.to ?? null }];
  if (type === 'status_changed' && ('from' in flat || 'to' in flat)) return [{ field: 'status', from: flat.from ?? null, to: flat.to ?? null }];
  return [];
}

function day(value: unknown): string | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

function describeChange(change: Change, people: ReadonlyMap<string, TimelinePerson>): string {
  const { field, from, to } = change;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  switch (field) {
    case 'status': return `moved it from ${text(from) ? ticketStatusLabel(text(from)!) : 'an unknown status'} to ${text(to) ? ticketStatusLabel(text(to)!) : 'an unknown status'}`;
    case 'assigneeUserId': {
      const id = text(to);
      return id ? `assigned it to ${personLabel(people.get(id), 'a former member')}` : 'unassigned it';
    }
    case 'dueAt': return day(to) ? `set the due date to ${day(to)}` : 'removed the due date';
    case 'severity':
    case 'title': return text(from) ? `changed the ${field} from ${text(from)} to ${text(to) ?? '–'}` : `set the ${field} to ${text(to) ?? '–'}`;
    default: return `${text(to) ? 'updated' : 'cleared'} the ${FIELD_LABELS[field] ?? field}`;
  }
}

function joinClauses(clauses: string[]): string {
  if (clauses.length <= 1) return clauses.join('');
  return `${clauses.slice(0, -1).join(', ')} and ${clauses.at(-1)}`;
}

/** One sentence for one timeline event; `people` names assignees by user id. */
export function describeTicketEvent(event: TimelineEvent, people: ReadonlyMap<string, TimelinePerson>): TimelineLine {
  const who = personLabel(event.actor, 'Bulwark');
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
    case 'status_changed':
    case 'updated':
    case 'field_changed': {
      const changes = ticketEventChanges(event.type, data);
      if (changes.length === 0) return { text: `${who} updated the ticket` };
      // The status reads first: it is what a reader scans the timeline for.
      const ordered = [...changes.filter((c) => c.field === 'status'), ...changes.filter((c) => c.field !== 'status')];
      const description = changes.find((c) => c.field === 'description');
      // A close stores how many linked findings were still open or acknowledged at that moment.
      const open = record(data).openFindings;
      const stillOpen = typeof open === 'number' && open > 0 ? ` with ${open} linked finding${open === 1 ? '' : 's'} still open` : '';
      const clauses = ordered.map((c) => (c.field === 'status' ? `${describeChange(c, people)}${stillOpen}` : describeChange(c, people)));
      return { text: `${who} ${joinClauses(clauses)}`, detail: description && typeof description.to === 'string' ? description.to : null };
    }
    case 'note': return { text: `${who} added an update`, detail: str(data, 'body') };
    case 'finding_resolved':
    case 'finding_reopened': {
      const id = str(data, 'findingId');
      const reason = str(data, 'resolutionReason');
      const label = `${str(data, 'controlId') ?? 'A finding'} on ${str(data, 'resource') ?? 'a resource'}`;
      const text = event.type === 'finding_resolved'
        ? `Linked finding resolved${reason && RESOLUTION[reason] ? ` (${RESOLUTION[reason]})` : ''}: `
        : 'Linked finding reopened, seen again: ';
      return id ? { text, link: { findingId: id, label } } : { text: `${text}${label}` };
    }
    default: return { text: `${who}: ${event.type.replaceAll('_', ' ')}` };
  }
}
