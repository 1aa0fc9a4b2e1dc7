import { describe, expect, it } from 'vitest';
import { complianceStatus, describeCoverage, summarizeCompliance, type ComplianceInput } from './compliance-status';

const base: ComplianceInput = { applicability: 'applicable', assessment: 'automated', automated: 'none', evidence: 'none' };
const status = (over: Partial<ComplianceInput>) => complianceStatus({ ...base, ...over });

describe('a requirement\'s compliance status', () => {
  it('is decided first by the Statement of Applicability', () => {
    expect(status({ applicability: 'excluded', automated: 'fail' })).toBe('excluded');
    expect(status({ applicability: 'provider_responsibility', automated: 'pass' })).toBe('provider_responsibility');
  });

  it('fails on an open finding whatever evidence says', () => {
    expect(status({ automated: 'fail', evidence: 'current', assessment: 'partial' })).toBe('failed');
  });

  it('passes on controls, with accepted risk named', () => {
    expect(status({ automated: 'pass' })).toBe('passed');
    expect(status({ automated: 'accepted' })).toBe('passed_with_accepted_risk');
    expect(status({ automated: 'pass', assessment: 'automated', evidence: 'expired' })).toBe('passed');
  });

  it('holds a partly manual requirement back when its evidence expired or was requested', () => {
    expect(status({ automated: 'pass', assessment: 'partial', evidence: 'expired' })).toBe('evidence_missing');
    expect(status({ automated: 'accepted', assessment: 'partial', evidence: 'requested' })).toBe('evidence_missing');
    expect(status({ automated: 'pass', assessment: 'partial', evidence: 'current' })).toBe('passed');
    expect(status({ automated: 'pass', assessment: 'partial', evidence: 'none' })).toBe('passed');
  });

  it('lets evidence decide where no control does, and never says "not applicable"', () => {
    expect(status({ assessment: 'manual', evidence: 'current' })).toBe('evidence_provided');
    expect(status({ assessment: 'manual', evidence: 'expired' })).toBe('evidence_missing');
    expect(status({ assessment: 'manual', evidence: 'requested' })).toBe('evidence_missing');
    expect(status({ assessment: 'manual', evidence: 'none' })).toBe('not_assessed');
    expect(status({ assessment: 'automated', automated: 'none' })).toBe('not_assessed');
  });
});

describe('a coverage summary', () => {
  it('states what the score covers, and has no score when nothing was assessed', () => {
    const summary = summarizeCompliance(['passed', 'passed_with_accepted_risk', 'failed', 'failed', 'evidence_provided', 'not_assessed', 'not_assessed', 'excluded']);
    expect(summary).toMatchObject({ assessed: 4, assessedPassed: 2, automatedScore: 50, withEvidence: 1, notAssessed: 2, excluded: 1 });
    expect(describeCoverage(summary)).toBe('automated 50% of 4 assessed requirements; 1 with evidence; 2 not assessed; 1 excluded');
    const none = summarizeCompliance(['not_assessed']);
    expect(none.automatedScore).toBeNull();
    expect(describeCoverage(none, 'items')).toBe('no items assessed automatically; 1 not assessed');
  });
});
