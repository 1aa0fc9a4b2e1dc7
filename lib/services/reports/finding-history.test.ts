import { describe, expect, it } from 'vitest';
import { findingStateAt, type FindingNow, type TimelineEvent } from './finding-history';

const DUE_DAYS = { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 };
const at = (iso: string) => new Date(iso);
const event = (type: string, iso: string, data: unknown = {}): TimelineEvent => ({ type, createdAt: at(iso), data });

const resolvedToday: FindingNow = {
  severity: 'CRITICAL', status: 'RESOLVED', resolutionReason: 'FIXED', resolvedAt: at('2026-03-10T00:00:00Z'),
  assigneeUserId: 'user-now', assigneeTeamId: null, dueAt: at('2026-03-08T00:00:00Z'),
};

describe('a finding as it was at a moment', () => {
  it('is open at a moment before it was resolved', () => {
    const events = [event('opened', '2026-03-01T00:00:00Z'), event('resolved', '2026-03-10T00:00:00Z')];
    expect(findingStateAt(resolvedToday, events, at('2026-03-05T00:00:00Z'), DUE_DAYS)).toMatchObject({ status: 'OPEN', resolvedAt: null, resolutionReason: null });
  });

  it('is resolved, with when and why, at a moment after it was fixed', () => {
    const events = [event('opened', '2026-03-01T00:00:00Z'), event('resolved', '2026-03-10T00:00:00Z')];
    expect(findingStateAt(resolvedToday, events, at('2026-03-12T00:00:00Z'), DUE_DAYS)).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FIXED', resolvedAt: at('2026-03-10T00:00:00Z') });
  });

  it('follows acknowledgement, risk acceptance, expiry and reopening in order', () => {
    const now: FindingNow = { ...resolvedToday, status: 'OPEN', resolutionReason: null, resolvedAt: null };
    const events = [
      event('opened', '2026-03-01T00:00:00Z'),
      event('acknowledged', '2026-03-02T00:00:00Z'),
      event('risk_approved', '2026-03-03T00:00:00Z'),
      event('risk_expired', '2026-03-20T00:00:00Z'),
      event('false_positive', '2026-03-21T00:00:00Z'),
      event('reopened', '2026-03-25T00:00:00Z'),
    ];
    const statusAt = (iso: string) => findingStateAt(now, events, at(iso), DUE_DAYS).status;
    expect(statusAt('2026-03-02T12:00:00Z')).toBe('ACKNOWLEDGED');
    expect(statusAt('2026-03-10T00:00:00Z')).toBe('RISK_ACCEPTED');
    expect(statusAt('2026-03-20T12:00:00Z')).toBe('OPEN');
    expect(findingStateAt(now, events, at('2026-03-22T00:00:00Z'), DUE_DAYS)).toMatchObject({ status: 'RESOLVED', resolutionReason: 'FALSE_POSITIVE' });
    expect(statusAt('2026-03-26T00:00:00Z')).toBe('OPEN');
  });

  it('is open again at a moment after its risk acceptance was revoked', () => {
    const now: FindingNow = { ...resolvedToday, status: 'OPEN', resolutionReason: null, resolvedAt: null };
    const events = [event('opened', '2026-03-01T00:00:00Z'), event('risk_approved', '2026-03-02T00:00:00Z'), event('risk_revoked', '2026-03-04T00:00:00Z'), event('acknowledged', '2026-03-06T00:00:00Z')];
    expect(findingStateAt(now, events, at('2026-03-03T00:00:00Z'), DUE_DAYS).status).toBe('RISK_ACCEPTED');
    expect(findingStateAt(now, events, at('2026-03-05T00:00:00Z'), DUE_DAYS).status).toBe('OPEN');
  });

  it('takes today\'s row as is when nothing changed after the moment', () => {
    const now: FindingNow = { ...resolvedToday, status: 'ACKNOWLEDGED', resolutionReason: null, resolvedAt: null };
    expect(findingStateAt(now, [], at('2026-04-01T00:00:00Z'), DUE_DAYS)).toEqual({
      status: 'ACKNOWLEDGED', resolutionReason: null, resolvedAt: null, assigneeUserId: 'user-now', assigneeTeamId: null, dueAt: at('2026-03-08T00:00:00Z'),
    });
  });

  it('gives the owner of the last assignment before the moment, or none', () => {
    const events = [
      event('opened', '2026-03-01T00:00:00Z'),
      event('assigned', '2026-03-02T00:00:00Z', { assigneeUserId: 'user-then' }),
      event('assigned', '2026-03-03T00:00:00Z', { assigneeTeamId: 'team-then' }),
      event('assigned', '2026-03-09T00:00:00Z', { assigneeUserId: 'user-now', assigneeTeamId: null }),
    ];
    const ownerAt = (iso: string) => {
      const state = findingStateAt(resolvedToday, events, at(iso), DUE_DAYS);
      return [state.assigneeUserId, state.assigneeTeamId];
    };
    expect(ownerAt('2026-03-01T12:00:00Z')).toEqual([null, null]);
    expect(ownerAt('2026-03-02T12:00:00Z')).toEqual(['user-then', null]);
    expect(ownerAt('2026-03-05T00:00:00Z')).toEqual(['user-then', 'team-then']);
    expect(ownerAt('2026-03-09T12:00:00Z')).toEqual(['user-now', null]);
  });

  it('gives the due date set before the moment, or the one the pipeline set when it was reopened', () => {
    const now: FindingNow = { ...resolvedToday, status: 'OPEN', resolvedAt: null, resolutionReason: null, dueAt: at('2026-04-07T00:00:00Z') };
    const events = [
      event('opened', '2026-03-01T00:00:00Z'),
      event('due_date_set', '2026-03-03T00:00:00Z', { from: '2026-03-08T00:00:00.000Z', to: '2026-03-30T00:00:00.000Z' }),
      event('resolved', '2026-03-10T00:00:00Z'),
      event('reopened', '2026-03-31T00:00:00Z'),
    ];
    expect(findingStateAt(now, events, at('2026-03-02T00:00:00Z'), DUE_DAYS).dueAt).toEqual(at('2026-03-08T00:00:00Z'));
    expect(findingStateAt(now, events, at('2026-03-05T00:00:00Z'), DUE_DAYS).dueAt).toEqual(at('2026-03-30T00:00:00Z'));
    expect(findingStateAt(now, events, at('2026-04-01T00:00:00Z'), DUE_DAYS).dueAt).toEqual(at('2026-04-07T00:00:00Z'));
  });
});
