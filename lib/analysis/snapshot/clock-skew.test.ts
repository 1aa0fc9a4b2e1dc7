import { describe, expect, it } from 'vitest';
import { futureCollectedAtIssue } from './clock-skew';

const NOW = new Date('2026-12-06T12:00:00Z');

describe('futureCollectedAtIssue', () => {
  it('accepts a collection in the past, now, and within the allowed skew', () => {
    expect(futureCollectedAtIssue('2026-01-01T00:00:00Z', NOW, 300)).toBeNull();
    expect(futureCollectedAtIssue(NOW, NOW, 300)).toBeNull();
    expect(futureCollectedAtIssue('2026-12-06T12:05:00Z', NOW, 300)).toBeNull();
    expect(futureCollectedAtIssue('2026-12-06T13:04:00+01:00', NOW, 300)).toBeNull();
  });

  it('refuses a collection more than the allowed skew ahead, naming collectedAt and the gap', () => {
    expect(futureCollectedAtIssue('2026-12-06T12:05:01Z', NOW, 300)).toEqual({ path: 'collectedAt', message: expect.stringContaining('301 s ahead') });
    const issue = futureCollectedAtIssue('9999-12-31T23:59:59Z', NOW, 300);
    expect(issue?.path).toBe('collectedAt');
    expect(issue?.message).toMatch(/days ahead of the server's clock \(2026-12-06T12:00:00.000Z\); at most 300 s/);
  });
});
