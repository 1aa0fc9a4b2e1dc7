import { describe, expect, it } from 'vitest';
import { SoaDecisionSchema } from './schemas';
import { automatedResultOf, combineSoa, defaultDecision } from './statuses';
import { changedRequirements } from './decisions';
import type { SoaDecision } from './types';

describe('SoA decisions', () => {
  it('needs a justification to exclude or leave to the provider, and names the field', () => {
    for (const applicability of ['excluded', 'provider_responsibility'] as const) {
      const parsed = SoaDecisionSchema.safeParse({ frameworkId: 'iso27001-2022', requirementId: 'A.7.1', applicability, justification: '   ' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['justification']);
    }
    expect(SoaDecisionSchema.parse({ frameworkId: 'iso27001-2022', requirementId: 'A.5.1', applicability: 'applicable', justification: '', ownerUserId: '', implementationStatus: '' }))
      .toMatchObject({ justification: null, ownerUserId: null, implementationStatus: null });
  });

  it('maps the engine\'s requirement results to the vocabulary\'s automated results', () => {
    expect(automatedResultOf(undefined)).toBe('none');
    expect(automatedResultOf({ status: 'fail', acceptedControlIds: [] })).toBe('fail');
    expect(automatedResultOf({ status: 'pass', acceptedControlIds: [] })).toBe('pass');
    expect(automatedResultOf({ status: 'pass', acceptedControlIds: ['x'] })).toBe('accepted');
    expect(automatedResultOf({ status: 'manual', acceptedControlIds: [] })).toBe('none');
    expect(automatedResultOf({ status: 'not_applicable', acceptedControlIds: [] })).toBe('none');
    expect(automatedResultOf({ status: 'provider_responsibility', acceptedControlIds: [] })).toBe('provider');
  });

  it('shows a managed provider\'s control-plane requirement as provider responsibility unless the SoA excludes it', () => {
    const rows = combineSoa('cis-k8s-1.9', new Map(), new Map([['1.2.1', 'provider']]), new Map());
    expect(rows.find((r) => r.requirementId === '1.2.1')).toMatchObject({ status: 'provider_responsibility', applicability: 'applicable' });
  });

  it('lists every requirement with the default where undecided; the SoA decides before the clusters', () => {
    const excluded: SoaDecision = { ...defaultDecision('5.2.2'), applicability: 'excluded', decided: true, justification: 'why' };
    const rows = combineSoa('cis-k8s-1.9', new Map([['5.2.2', excluded]]), new Map([['5.2.2', 'fail'], ['5.2.3', 'fail']]), new Map());
    expect(rows).toHaveLength(130); // CIS v1.9 sections 1-5
    expect(rows.find((r) => r.requirementId === '5.2.2')).toMatchObject({ status: 'excluded', automated: 'fail' });
    expect(rows.find((r) => r.requirementId === '5.2.3')).toMatchObject({ status: 'failed', decided: false, applicability: 'applicable' });
  });

  it('compares a draft with the approved version on the decision, not on who saved it when', () => {
    const approved = [defaultDecision('A'), { ...defaultDecision('B'), decided: true, implementationStatus: 'implemented' as const, decidedAt: '2026-01-01T00:00:00.000Z' }];
    expect(changedRequirements(null, approved)).toEqual(['B']);
    expect(changedRequirements(approved, [defaultDecision('A'), { ...approved[1]!, decidedAt: '2026-02-01T00:00:00.000Z' }])).toEqual([]);
    expect(changedRequirements(approved, [{ ...defaultDecision('A'), decided: true, owner: { userId: 'u', label: 'U' } }, approved[1]!])).toEqual(['A']);
  });
});
