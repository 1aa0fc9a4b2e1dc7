import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { DIGEST_FREQUENCIES, type DigestFrequency } from './frequencies';

export { DIGEST_FREQUENCIES, DIGEST_FREQUENCY_LABELS, type DigestFrequency } from './frequencies';

/**
 * E-mail digests (issue 20): what a member chose, and when their digest is due.
 *
 * Decisions, documented in the README: digests are opt-in (no row, or 'none', means no digest: a mail nobody asked
 * for is noise, and the per-event mails already exist); a daily digest is due every day at 08:00, a weekly one on
 * Mondays at 08:00, both in the member's own time zone (chosen with the setting; the browser's zone is offered
 * first), because a person reads mail in their morning, not their organization's.
 */
/** The local hour a digest is due. */
export const DIGEST_HOUR = 8;
const DUE_CRON: Record<Exclude<DigestFrequency, 'none'>, string> = { daily: `0 ${DIGEST_HOUR} * * *`, weekly: `0 ${DIGEST_HOUR} * * 1` };

/** True when `timeZone` is an IANA zone this runtime knows (Intl throws a RangeError for anything else). */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const SetDigestSchema = z.object({
  frequency: z.enum(DIGEST_FREQUENCIES, 'choose none, daily or weekly'),
  timeZone: z.string().trim().refine(isTimeZone, 'is not a known time zone'),
}).strict();
export type SetDigestInput = z.infer<typeof SetDigestSchema>;

/**
 * The period a digest at `now` belongs to: the latest due instant at or before `now` (08:00 local today or
 * yesterday; the latest Monday 08:00), named with its frequency. One digest per member and period: a tick at
 * 08:05 sends it, the ticks after it find the period done, and a worker that was down at 08:00 sends it once
 * when it is back (never one per missed period: only the latest period is ever due).
 */
export function digestPeriod(frequency: Exclude<DigestFrequency, 'none'>, timeZone: string, now: Date): { key: string; dueAt: Date } {
  const dueAt = CronExpressionParser.parse(DUE_CRON[frequency], { tz: timeZone, currentDate: new Date(now.getTime() + 1) }).prev().toDate();
  return { key: `${frequency}:${dueAt.toISOString()}`, dueAt };
}
