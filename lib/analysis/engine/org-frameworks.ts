import { effectiveStatus, type ControlTally } from './requirements';

/** An organization's own framework (issue 23) as the engine needs it: its key and its requirement codes, in order. */
export type OrgFrameworkDefinition = { key: string; requirements: readonly { code: string }[] };

export type OrgRequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual';
export type OrgRequirementResult = {
  code: string;
  status: OrgRequirementStatus;
  /** The organization's controls mapped to `<key>:<code>` that took part, the failing ones, the ones passing by risk acceptance. */
  controlIds: string[];
  failingControlIds: string[];
  acceptedControlIds: string[];
  reason?: string;
};
/** Same figures as a catalog framework's score; `frameworkId` is `org:<key>` (orgFrameworkScoreId). */
export type OrgFrameworkScore = { frameworkId: string; score: number; passed: number; failed: number; notApplicable: number; manual: number; accepted: number };

/** The id an organization framework's scores, reports and score history use: `org:<key>`, never a catalog framework id. */
export const orgFrameworkScoreId = (key: string) => `org:${key}`;
export const ORG_FRAMEWORK_PREFIX = 'org:';

/**
 * An organization framework's requirement results and score from control tallies, by the catalog frameworks' rule
 * (requirements.ts): a requirement fails when one of the controls mapped to `<key>:<code>` (their tally's
 * `requirementIds`, i.e. the mapping of the version that ran) has an open finding; passes when the rest pass or fail
 * only on risk-accepted findings; is not applicable when every one of them is; is manual when no control maps to it.
 * Score = passed / (passed + failed), 0-100 with one decimal, 0 when nothing is decided. Pure.
 */
export function orgFrameworkResultsFor(framework: OrgFrameworkDefinition, tallies: readonly ControlTally[]): { requirements: OrgRequirementResult[]; score: OrgFrameworkScore } {
  const byCode = new Map<string, ControlTally[]>();
  const prefix = `${framework.key}:`;
  for (const tally of tallies) {
    for (const ref of new Set(tally.requirementIds ?? [])) {
      if (!ref.startsWith(prefix)) continue;
      const list = byCode.get(ref.slice(prefix.length)) ?? [];
      list.push(tally);
      byCode.set(ref.slice(prefix.length), list);
    }
  }
  const requirements = framework.requirements.map(({ code }): OrgRequirementResult => {
    const mapped = byCode.get(code) ?? [];
    const base = { code, controlIds: mapped.map((t) => t.controlId), failingControlIds: [] as string[], acceptedControlIds: [] as string[] };
    if (mapped.length === 0) return { ...base, status: 'manual', reason: 'No control of the organization maps to this requirement; provide evidence manually.' };
    const states = mapped.map((tally) => ({ tally, state: effectiveStatus(tally) }));
    const failing = states.filter((s) => s.state === 'fail').map((s) => s.tally.controlId);
    const accepted = states.filter((s) => s.state === 'accepted').map((s) => s.tally.controlId);
    if (failing.length > 0) return { ...base, status: 'fail', failingControlIds: failing, acceptedControlIds: accepted };
    if (states.every((s) => s.state === 'not_applicable' || s.state === 'provider_responsibility')) {
      const reasons = [...new Set(mapped.map((t) => t.reason).filter((r): r is string => Boolean(r)))];
      return { ...base, status: 'not_applicable', reason: reasons.join('; ') || 'Its controls do not apply to this snapshot.' };
    }
    return { ...base, status: 'pass', acceptedControlIds: accepted };
  });
  const count = (status: OrgRequirementStatus) => requirements.filter((r) => r.status === status).length;
  const passed = count('pass');
  const failed = count('fail');
  const decided = passed + failed;
  return {
    requirements,
    score: {
      frameworkId: orgFrameworkScoreId(framework.key), score: decided === 0 ? 0 : Math.round((passed / decided) * 1000) / 10,
      passed, failed, notApplicable: count('not_applicable'), manual: count('manual'),
      accepted: requirements.filter((r) => r.status === 'pass' && r.acceptedControlIds.length > 0).length,
    },
  };
}
