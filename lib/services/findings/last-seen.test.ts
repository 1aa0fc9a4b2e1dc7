import { describe, expect, it } from 'vitest';
import { effectiveLastSeen, lastSeenNeedsRefresh } from './last-seen';

const stored = new Date('2026-03-01T10:00:00Z');
const evaluated = new Date('2026-03-01T10:40:00Z');

describe('last seen', () => {
  it("shows an open finding as seen by its cluster's latest evaluation", () => {
    for (const status of ['OPEN', 'ACKNOWLEDGED', 'RISK_ACCEPTED']) expect(effectiveLastSeen({ status, lastSeenAt: stored }, evaluated)).toEqual(evaluated);
  });

  it('keeps a resolved finding at the time it was last seen', () => {
    expect(effectiveLastSeen({ status: 'RESOLVED', lastSeenAt: stored }, evaluated)).toEqual(stored);
  });

  it('never moves a stored time back, and copes with a cluster never evaluated', () => {
    expect(effectiveLastSeen({ status: 'OPEN', lastSeenAt: evaluated }, stored)).toEqual(evaluated);
    expect(effectiveLastSeen({ status: 'OPEN', lastSeenAt: stored }, null)).toEqual(stored);
  });

  it('refreshes the stored time once it is an hour old', () => {
    expect(lastSeenNeedsRefresh(stored, new Date('2026-03-01T10:59:59Z'))).toBe(false);
    expect(lastSeenNeedsRefresh(stored, new Date('2026-03-01T11:00:00Z'))).toBe(true);
  });
});
