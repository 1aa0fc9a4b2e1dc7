import { describe, expect, it } from 'vitest';
import { deployment, snapshotOf } from '@/lib/testing/k8s';
import { evaluate } from './evaluate';
import { orgFrameworkResultsFor } from './org-frameworks';
import { requirementResultsFor, type ControlTally } from './requirements';

const NOW = new Date('2025-01-01T00:00:00Z');
const tally = (controlId: string, status: ControlTally['status'], openFindings = 0, requirementIds?: string[], acceptedFindings = 0): ControlTally => ({
  controlId, status, openFindings, acceptedFindings, ...(requirementIds ? { requirementIds } : {}),
});
const resultOf = (tallies: ControlTally[], frameworkId: 'iso27001-2022' | 'cis-k8s-1.9' | 'cis-k8s-1.12', requirementId: string) =>
  requirementResultsFor(tallies, [frameworkId]).requirements.find((r) => r.requirementId === requirementId);

describe('custom controls decide the catalog requirements they map to', () => {
  const ownerLabel = { match: { resources: [{ kinds: ['Deployment'] }] }, validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels" }] };

  it('a failing custom control mapped to A.8.9 fails it, and the score counts it', () => {
    const passing = tally('workload.privileged-container', 'pass');
    const before = requirementResultsFor([passing], ['iso27001-2022']);
    const after = requirementResultsFor([passing, tally('custom.owner-label', 'fail', 2, ['iso27001-2022:A.8.9', 'acme:AP-1'])], ['iso27001-2022']);
    expect(before.requirements.find((r) => r.requirementId === 'A.8.9')).toMatchObject({ status: 'pass' });
    expect(after.requirements.find((r) => r.requirementId === 'A.8.9')).toMatchObject({
      status: 'fail', controlIds: ['workload.privileged-container', 'custom.owner-label'], failingControlIds: ['custom.owner-label'],
    });
    expect(after.scores[0]!.failed).toBe(before.scores[0]!.failed + 1);
    expect(after.scores[0]!.score).toBeLessThan(before.scores[0]!.score);
  });

  it('a passing one keeps it passing, and a risk-accepted one passes it by acceptance', () => {
    expect(resultOf([tally('workload.privileged-container', 'pass'), tally('custom.x', 'pass', 0, ['iso27001-2022:A.8.9'])], 'iso27001-2022', 'A.8.9')).toMatchObject({ status: 'pass', failingControlIds: [] });
    expect(resultOf([tally('custom.x', 'fail', 0, ['iso27001-2022:A.8.9'], 3)], 'iso27001-2022', 'A.8.9')).toMatchObject({ status: 'pass', acceptedControlIds: ['custom.x'] });
  });

  it('maps to a CIS item by its framework id, and only to the framework it names', () => {
    const tallies = [tally('custom.x', 'fail', 1, ['cis-k8s-1.9:5.2.2'])];
    expect(resultOf(tallies, 'cis-k8s-1.9', '5.2.2')).toMatchObject({ status: 'fail', failingControlIds: ['custom.x'] });
    expect(requirementResultsFor(tallies, ['iso27001-2022']).requirements.some((r) => r.controlIds.includes('custom.x'))).toBe(false);
  });

  it('counts a CIS item in the other benchmark version too, renumbered, and nowhere else', () => {
    // v1.9's 5.2.10 is v1.12's 5.2.9; node items follow their check (1.2.x keep their place in both versions).
    const v19 = [tally('custom.x', 'fail', 1, ['cis-k8s-1.9:5.2.10'])];
    expect(resultOf(v19, 'cis-k8s-1.12', '5.2.9')).toMatchObject({ status: 'fail', failingControlIds: ['custom.x'] });
    expect(requirementResultsFor(v19, ['cis-k8s-1.12']).requirements.filter((r) => r.controlIds.includes('custom.x')).map((r) => r.requirementId)).toEqual(['5.2.9']);
    const v112 = [tally('custom.y', 'fail', 1, ['cis-k8s-1.12:5.6.1'])];
    expect(resultOf(v112, 'cis-k8s-1.9', '5.7.1')).toMatchObject({ status: 'fail', failingControlIds: ['custom.y'] });
    const node = [tally('custom.z', 'pass', 0, ['cis-k8s-1.9:1.1.1'])];
    expect(resultOf(node, 'cis-k8s-1.12', '1.1.1')?.controlIds).toContain('custom.z');
    // Mapped to both numberings of one item, it is still one control on it.
    expect(resultOf([tally('custom.w', 'fail', 1, ['cis-k8s-1.9:5.2.10', 'cis-k8s-1.12:5.2.9'])], 'cis-k8s-1.12', '5.2.9')?.controlIds.filter((id) => id === 'custom.w')).toHaveLength(1);
  });

  it('decides a requirement no catalog control decides (manual) instead of leaving it to evidence', () => {
    const manual = resultOf([], 'iso27001-2022', 'A.5.12');
    expect(manual?.status).toBe('manual');
    expect(resultOf([tally('custom.policy', 'fail', 1, ['iso27001-2022:A.5.12'])], 'iso27001-2022', 'A.5.12')).toMatchObject({ status: 'fail', controlIds: ['custom.policy'] });
  });

  it('evaluate() records the mapping on the custom control\'s outcome and counts it in requirements and scores', () => {
    const snapshot = snapshotOf([deployment({ name: 'web', namespace: 'shop' })]);
    const options = { now: NOW, frameworks: ['iso27001-2022' as const] };
    const without = evaluate(snapshot, options);
    const result = evaluate(snapshot, {
      ...options,
      customControls: [{ id: 'custom.owner-label', version: 4, severity: 'medium', remediation: 'Add an owner label.', rule: ownerLabel, requirementIds: ['iso27001-2022:A.8.9'] }],
    });
    expect(result.controls.find((c) => c.controlId === 'custom.owner-label')).toMatchObject({ status: 'fail', controlVersion: 4, requirementIds: ['iso27001-2022:A.8.9'] });
    expect(result.requirements.find((r) => r.requirementId === 'A.8.9')).toMatchObject({ status: 'fail', failingControlIds: ['custom.owner-label'] });
    expect(without.requirements.find((r) => r.requirementId === 'A.8.9')?.failingControlIds).not.toContain('custom.owner-label');
  });
});

describe('orgFrameworkResultsFor', () => {
  const acme = { key: 'acme', requirements: [{ code: 'AP-1' }, { code: 'AP-2' }, { code: 'AP-3' }, { code: 'AP-4' }] };

  it('scores the organization\'s framework by the mappings its controls ran with', () => {
    const { requirements, score } = orgFrameworkResultsFor(acme, [
      tally('custom.a', 'fail', 2, ['acme:AP-1', 'iso27001-2022:A.8.9']),
      tally('custom.b', 'pass', 0, ['acme:AP-1', 'acme:AP-2']),
      tally('custom.c', 'fail', 0, ['acme:AP-3'], 1),
      tally('workload.privileged-container', 'fail', 5),
      tally('custom.other', 'fail', 1, ['other:AP-4']),
    ]);
    expect(requirements.map((r) => [r.code, r.status, r.controlIds.join(' ')])).toEqual([
      ['AP-1', 'fail', 'custom.a custom.b'], ['AP-2', 'pass', 'custom.b'], ['AP-3', 'pass', 'custom.c'], ['AP-4', 'manual', ''],
    ]);
    expect(requirements[0]?.failingControlIds).toEqual(['custom.a']);
    expect(score).toEqual({ frameworkId: 'org:acme', score: 66.7, passed: 2, failed: 1, notApplicable: 0, manual: 1, accepted: 1 });
  });

  it('is not applicable when its controls are, and scores 0 when nothing is decided', () => {
    const { requirements, score } = orgFrameworkResultsFor({ key: 'acme', requirements: [{ code: 'AP-1' }] }, [tally('custom.a', 'not_applicable', 0, ['acme:AP-1'])]);
    expect(requirements[0]?.status).toBe('not_applicable');
    expect(score.score).toBe(0);
  });
});
