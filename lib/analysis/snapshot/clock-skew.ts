/**
 * The intake orders a cluster's snapshots by collectedAt, so one stamped in the future (a clock gone wrong, or a
 * hostile agent sending 9999-12-31) would stay "the latest" and supersede every genuine snapshot after it.
 * A collection time later than the server's clock by more than the allowed skew is refused.
 */
export type ClockSkewIssue = { path: 'collectedAt'; message: string };

/** Null when `collectedAt` is at most `maxSkewSeconds` after `now`; otherwise the issue naming `collectedAt` and why. */
export function futureCollectedAtIssue(collectedAt: string | Date, now: Date, maxSkewSeconds: number): ClockSkewIssue | null {
  const at = collectedAt instanceof Date ? collectedAt : new Date(collectedAt);
  const aheadMs = at.getTime() - now.getTime();
  if (Number.isNaN(aheadMs)) return { path: 'collectedAt', message: 'is not a valid date' };
  if (aheadMs <= maxSkewSeconds * 1000) return null;
  return {
    path: 'collectedAt',
    message: `is ${describeAhead(aheadMs)} ahead of the server's clock (${now.toISOString()}); at most ${maxSkewSeconds} s of clock skew is accepted: check the agent host's clock`,
  };
}

function describeAhead(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${seconds} s`;
  const hours = Math.round(seconds / 3600);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}
