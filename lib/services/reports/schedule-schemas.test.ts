import { describe, expect, it } from 'vitest';
import { CreateScheduleSchema, cronProblem, isTimeZone, nextRunAfter, periodForRun } from './schedule-schemas';

describe('schedule times', () => {
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('says what is wrong with a cron expression', () => {
    expect(cronProblem('0 6 1 * *', 'Europe/Berlin')).toBeNull();
    expect(cronProblem('0 6 * *', 'UTC')).toBe('must have five fields: minute hour day-of-month month day-of-week');
    expect(cronProblem('0 6 * * 1 2026', 'UTC')).toBe('must have five fields: minute hour day-of-month month day-of-week');
    expect(cronProblem('0 25 * * *', 'UTC')).toMatch(/^is not a valid cron expression/);
    expect(cronProblem('0,30 * * * *', 'UTC')).toBe('must not run more than once an hour');
  });

  it('plans runs in the schedule\'s zone across both DST changes', () => {
    // Berlin: clocks forward on 29 March 2026, back on 25 October 2026.
    expect(nextRunAfter('0 6 * * *', 'Europe/Berlin', new Date('2026-03-28T05:00:00Z')).toISOString()).toBe('2026-03-29T04:00:00.000Z');
    expect(nextRunAfter('0 6 * * *', 'Europe/Berlin', new Date('2026-10-24T04:00:00Z')).toISOString()).toBe('2026-10-25T05:00:00.000Z');
    expect(nextRunAfter('0 6 1 * *', 'America/New_York', new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('covers the previous calendar month or quarter in the schedule\'s zone', () => {
    expect(periodForRun('previous_month', 'UTC', new Date('2026-01-01T06:00:00Z'))).toEqual({ periodStart: '2025-12-01T00:00:00.000Z', periodEnd: '2025-12-31T23:59:59.999Z' });
    expect(periodForRun('previous_quarter', 'Europe/Berlin', new Date('2026-07-01T04:00:00Z'))).toEqual({ periodStart: '2026-03-31T22:00:00.000Z', periodEnd: '2026-06-30T21:59:59.999Z' });
    expect(periodForRun('last_30_days', 'UTC', new Date('2026-03-31T00:00:00Z'))).toEqual({ periodStart: '2026-03-01T00:00:00.000Z', periodEnd: '2026-03-31T00:00:00.000Z' });
  });

  it('names the field of a bad time zone, and lower-cases external addresses', () => {
    const bad = CreateScheduleSchema.safeParse({ frameworkId: 'iso27001-2022', format: 'PDF', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'Mars/Olympus', recipientEmails: ['a@b.test'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['timeZone']);
    const good = CreateScheduleSchema.parse({ frameworkId: 'iso27001-2022', format: 'PDF', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'UTC', recipientEmails: ['Lead@Audit.TEST'] });
    expect(good.recipientEmails).toEqual(['lead@audit.test']);
  });
});
