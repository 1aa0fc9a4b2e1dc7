import { describe, expect, it } from 'vitest';
import { requirementResultsFor, type ControlTally } from './requirements';

const tally = (controlId: string, status: ControlTally['status'], openFindings = 0, acceptedFindings = 0, reason?: string): ControlTally => ({
  controlId,
  status,
  openFindings,
  acceptedFindings,
  ...(reason ? { reason } : {}),
});

describe('requirementResultsFor', () => {
  it('fails a requirement with an open finding in one of its controls', () => {
    const { requirements } = requirementResultsFor([tally('workload.privileged-container', 'fail', 2)], ['cis-k8s-1.9']);
    expect(requirements.find((r) => r.requirementId === '5.2.2')).toMatchObject({ status: 'fail', failingControlIds: ['workload.privileged-container'] });
  });

  it('counts a control whose only findings are risk-accepted as passed, and shows the acceptance', () => {
    const { requirements, scores } = requirementResultsFor([tally('workload.privileged-container', 'fail', 0, 3)], ['cis-k8s-1.9']);
    expect(requirements.find((r) => r.requirementId === '5.2.2')).toMatchObject({ status: 'pass', acceptedControlIds: ['workload.privileged-container'] });
    expect(scores[0]).toMatchObject({ frameworkId: 'cis-k8s-1.9', passed: 1, failed: 0, accepted: 1, score: 100 });
  });

  it('needs every control of a requirement to pass', () => {
    const { requirements } = requirementResultsFor([tally('workload.host-pid', 'pass'), tally('rbac.cluster-admin-binding', 'fail', 1)], ['iso27001-2022']);
    expect(requirements.find((r) => r.requirementId === 'A.8.2')).toMatchObject({ status: 'fail', failingControlIds: ['rbac.cluster-admin-binding'] });
  });

  it('makes a requirement not applicable when its controls could not run, with their reason', () => {
    const { requirements } = requirementResultsFor([tally('workload.host-pid', 'not_applicable', 0, 0, 'pods: forbidden')], ['cis-k8s-1.9']);
    expect(requirements.find((r) => r.requirementId === '5.2.3')).toMatchObject({ status: 'not_applicable', reason: 'pods: forbidden' });
  });

  it('leaves manual requirements manual, with the evidence to bring, and organisational ISO controls not applicable', () => {
    const { requirements, scores } = requirementResultsFor([], ['cis-k8s-1.9', 'iso27001-2022']);
    expect(requirements.find((r) => r.requirementId === '5.3.1')).toMatchObject({ status: 'manual', reason: expect.stringMatching(/NetworkPolicy/) });
    expect(requirements.find((r) => r.requirementId === 'A.6.3')).toMatchObject({ status: 'not_applicable' });
    expect(requirements.find((r) => r.requirementId === 'A.5.24')).toMatchObject({ status: 'manual' });
    expect(scores.every((s) => s.score === 0 && s.passed === 0)).toBe(true);
  });

  it('scores passed / (passed + failed) with one decimal', () => {
    const { scores } = requirementResultsFor(
      [tally('workload.privileged-container', 'fail', 1), tally('workload.host-pid', 'pass'), tally('workload.host-ipc', 'pass')],
      ['cis-k8s-1.9'],
    );
    expect(scores[0]).toMatchObject({ passed: 2, failed: 1, score: 66.7 });
  });
});
