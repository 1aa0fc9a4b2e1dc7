import { describe, expect, it } from 'vitest';
import { canTransition, missingForClose } from './transitions';

describe('ticket transitions', () => {
  it('moves forward, one step or several', () => {
    expect(canTransition('OPEN', 'INVESTIGATING')).toBe(true);
    expect(canTransition('INVESTIGATING', 'RESOLVED')).toBe(true);
    expect(canTransition('RESOLVED', 'CLOSED')).toBe(true);
  });

  it('never moves back or stays in place', () => {
    expect(canTransition('MITIGATED', 'INVESTIGATING')).toBe(false);
    expect(canTransition('CLOSED', 'OPEN')).toBe(false);
    expect(canTransition('OPEN', 'OPEN')).toBe(false);
  });

  it('asks for a root cause and a resolution before closing', () => {
    expect(missingForClose({ rootCause: null, resolution: '  ' })).toEqual(['rootCause', 'resolution']);
    expect(missingForClose({ rootCause: 'a', resolution: 'b' })).toEqual([]);
  });
});
