import type { ReportFindingStatus, ReportSeverity } from './render/types';

/** The finding columns the reconstruction needs, as the row stands today. */
export type FindingNow = {
  severity: ReportSeverity;
  status: ReportFindingStatus;
  resolutionReason: string | null;
  resolvedAt: Date | null;
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  dueAt: Date | null;
};

export type TimelineEvent = { type: string; createdAt: Date; data: unknown };

export type FindingAt = {
  status: ReportFindingStatus;
  resolutionReason: string | null;
  resolvedAt: Date | null;
  assigneeUserId: string | null;
  assigneeTeamId: string | null;
  dueAt: Date | null;
};

/** Timeline events that change a finding's status, and what they change it to. */
const STATUS_EVENTS: Record<string, { status: ReportFindingStatus; reason?: string } | 'acceptance_ended'> = {
  opened: { status: 'OPEN' },
  reopened: { status: 'OPEN' },
  acknowledged: { status: 'ACKNOWLEDGED' },
  risk_approved: { status: 'RISK_ACCEPTED' },
  risk_expired: 'acceptance_ended',
  risk_revoked: 'acceptance_ended',
  resolved: { status: 'RESOLVED', reason: 'FIXED' },
  false_positive: { status: 'RESOLVED', reason: 'FALSE_POSITIVE' },
  exception_applied: { status: 'RESOLVED', reason: 'EXCEPTION' },
};
const ASSIGNMENT_EVENTS = new Set(['assigned']);
const DUE_EVENTS = new Set(['due_date_set', 'opened', 'reopened']);

/** Every event type the reconstruction reads. */
export const HISTORY_EVENT_TYPES: readonly string[] = [...new Set([...Object.keys(STATUS_EVENTS), ...ASSIGNMENT_EVENTS, ...DUE_EVENTS])];

const record = (data: unknown): Record<string, unknown> => (data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {});
const idOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function replayStatus(events: readonly TimelineEvent[]): Pick<FindingAt, 'status' | 'resolutionReason' | 'resolvedAt'> {
  // A finding that existed at the moment was open from its first sighting, even where an old row has no "opened" event.
  let state: Pick<FindingAt, 'status' | 'resolutionReason' | 'resolvedAt'> = { status: 'OPEN', resolutionReason: null, resolvedAt: null };
  for (const event of events) {
    const change = STATUS_EVENTS[event.type];
    if (!change) continue;
    if (change === 'acceptance_ended') {
      if (state.status === 'RISK_ACCEPTED') state = { status: 'OPEN', resolutionReason: null, resolvedAt: null };
    } else if (change.status === 'RESOLVED') {
      state = { status: 'RESOLVED', resolutionReason: change.reason ?? null, resolvedAt: event.createdAt };
    } else if (change.status === 'ACKNOWLEDGED' || change.status === 'RISK_ACCEPTED') {
      // An acknowledgement or acceptance of a finding that is resolved at that moment changes nothing visible.
      if (state.status !== 'RESOLVED') state = { ...state, status: change.status };
    } else {
      state = { status: change.status, resolutionReason: null, resolvedAt: null };
    }
  }
  return state;
}

/**
 * A finding's status, owner and due date as they were at `at`, from today's row and its timeline (events in
 * time order, before and after `at`). Whatever no event changed after `at` is taken from today's row as is;
 * whatever did change is replayed from the events up to `at`:
 *
 * - status from opened / reopened / acknowledged / risk_approved / risk_expired / risk_revoked / resolved /
 *   false_positive / exception_applied;
 * - owner from the `assigned` events, each carrying the fields it changed ({assigneeUserId}, {assigneeTeamId}
 *   or both; null clears), starting unassigned;
 * - due date from the last `due_date_set` ({to}) or, as the pipeline sets it, opened/reopened + dueDays.
 */
export function findingStateAt(now: FindingNow, events: readonly TimelineEvent[], at: Date, dueDays: Readonly<Record<ReportSeverity, number>>): FindingAt {
  const before = events.filter((event) => event.createdAt <= at);
  const after = events.filter((event) => event.createdAt > at);

  const status = after.some((event) => STATUS_EVENTS[event.type])
    ? replayStatus(before)
    : { status: now.status, resolutionReason: now.resolutionReason, resolvedAt: now.status === 'RESOLVED' ? now.resolvedAt : null };

  let owner = { assigneeUserId: now.assigneeUserId, assigneeTeamId: now.assigneeTeamId };
  if (after.some((event) => ASSIGNMENT_EVENTS.has(event.type))) {
    owner = { assigneeUserId: null, assigneeTeamId: null };
    for (const event of before.filter((e) => ASSIGNMENT_EVENTS.has(e.type))) {
      const data = record(event.data);
      if ('assigneeUserId' in data) owner.assigneeUserId = idOrNull(data.assigneeUserId);
      if ('assigneeTeamId' in data) owner.assigneeTeamId = idOrNull(data.assigneeTeamId);
    }
  }

  let dueAt = now.dueAt;
  if (after.some((event) => DUE_EVENTS.has(event.type) && event.type !== 'opened')) {
    const last = before.filter((event) => DUE_EVENTS.has(event.type)).at(-1);
    if (!last) dueAt = null;
    else if (last.type === 'due_date_set') {
      const data = record(last.data);
      const value = 'to' in data ? data.to : data.dueAt;
      dueAt = typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : null;
    } else dueAt = new Date(last.createdAt.getTime() + dueDays[now.severity] * 86_400_000);
  }
  return { ...status, ...owner, dueAt };
}
