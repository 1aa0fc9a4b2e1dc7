/**
 * The status vocabulary of a requirement for an organization, the same words everywhere (pages, scores, PDF, CSV,
 * OSCAL). An ISO 27001 auditor reads "not applicable" as an exclusion from the Statement of Applicability that
 * needs a justification; Bulwark therefore never says it without one: a requirement no cluster data speaks to is
 * "not assessed by Bulwark" until someone decides it is excluded or brings evidence.
 */
export const COMPLIANCE_STATUSES = [
  'passed',
  'failed',
  'passed_with_accepted_risk',
  'evidence_provided',
  'evidence_missing',
  'not_assessed',
  'excluded',
  'provider_responsibility',
] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export const COMPLIANCE_STATUS_LABELS: Record<ComplianceStatus, string> = {
  passed: 'Passed',
  failed: 'Failed',
  passed_with_accepted_risk: 'Passed with accepted risk',
  evidence_provided: 'Evidence provided',
  evidence_missing: 'Evidence missing or expired',
  not_assessed: 'Not assessed by Bulwark',
  excluded: 'Excluded',
  provider_responsibility: 'Provider responsibility',
};

/** What each status means: printed in the report's methodology and shown as help beside the statuses. */
export const COMPLIANCE_STATUS_DEFINITIONS: Record<ComplianceStatus, string> = {
  passed: 'Bulwark\'s controls for the requirement passed on every cluster in scope (and its evidence, where the requirement also needs some, is current).',
  failed: 'At least one of Bulwark\'s controls for the requirement has an open finding on a cluster in scope.',
  passed_with_accepted_risk: 'Passed, except for findings covered by a risk acceptance that a second owner or admin approved and that has not expired.',
  evidence_provided: 'No cluster data decides the requirement; evidence (a file, a link or an attestation) was accepted by a reviewer other than its uploader and is within its validity period.',
  evidence_missing: 'Evidence is needed and none is current: it expired, was requested and not provided, or was not accepted.',
  not_assessed: 'Applicable, but no Bulwark control decides it and nobody has provided evidence yet.',
  excluded: 'Excluded from the Statement of Applicability, with a recorded justification, by an owner or admin.',
  provider_responsibility: 'Carried out by the infrastructure provider (for example a managed control plane), as recorded in the Statement of Applicability.',
};

/** The Statement of Applicability's decision for one requirement. */
export type Applicability = 'applicable' | 'excluded' | 'provider_responsibility';

/**
 * What the clusters say about the requirement: `pass`/`fail` from its controls, `accepted` when it passes only
 * thanks to approved risk acceptances, `none` when no control decided it (manual, not evaluated, no data),
 * `provider` when its controls are a managed provider's (the control plane of EKS, GKE or AKS: CIS sections 1-3).
 */
export type AutomatedResult = 'pass' | 'fail' | 'accepted' | 'none' | 'provider';

/**
 * The requirement's evidence: `current` (accepted and valid), `expired` (accepted, validity over), `requested`
 * (an evidence request is open and nothing current covers it), `none`.
 */
export type EvidenceState = 'current' | 'expired' | 'requested' | 'none';

export type ComplianceInput = {
  applicability: Applicability;
  /** How the framework data says the requirement is assessed: by controls, partly, or only with evidence. */
  assessment: 'automated' | 'partial' | 'manual';
  automated: AutomatedResult;
  evidence: EvidenceState;
};

/**
 * One requirement's status. The rules, in order:
 * 1. the SoA decides first: an excluded requirement or a provider's one is that, whatever the clusters say;
 * 2. a failing control is a failure: evidence cannot outweigh an open finding on a cluster;
 * 3. where controls decided (pass or accepted): passed, unless the requirement is partly manual and its evidence
 *    expired or is requested (the automated half alone does not make it pass then);
 * 4. where no control decided: evidence decides (current → provided; expired or requested → missing);
 *    without any evidence it is not assessed.
 */
export function complianceStatus({ applicability, assessment, automated, evidence }: ComplianceInput): ComplianceStatus {
  if (applicability === 'excluded') return 'excluded';
  if (applicability === 'provider_responsibility') return 'provider_responsibility';
  if (automated === 'provider') return 'provider_responsibility';
  if (automated === 'fail') return 'failed';
  const evidenceLacking = evidence === 'expired' || evidence === 'requested';
  if (automated === 'pass' || automated === 'accepted') {
    if (assessment !== 'automated' && evidenceLacking) return 'evidence_missing';
    return automated === 'accepted' ? 'passed_with_accepted_risk' : 'passed';
  }
  if (evidence === 'current') return 'evidence_provided';
  if (evidenceLacking) return 'evidence_missing';
  return 'not_assessed';
}

/** Statuses that count as met in a coverage figure ("18 with evidence"), and those that were assessed at all. */
export const MET_STATUSES: readonly ComplianceStatus[] = ['passed', 'passed_with_accepted_risk', 'evidence_provided'];
export const AUTOMATED_STATUSES: readonly ComplianceStatus[] = ['passed', 'failed', 'passed_with_accepted_risk'];

export type ComplianceSummary = {
  /** Requirements a control decided (passed, failed, passed with accepted risk). */
  assessed: number;
  /** Of those, passed (with or without accepted risk): the automated score's numerator. */
  assessedPassed: number;
  /** passed / assessed, 0-100 with one decimal; null when nothing was assessed (never a misleading 0 %). */
  automatedScore: number | null;
  withEvidence: number;
  evidenceMissing: number;
  notAssessed: number;
  excluded: number;
  providerResponsibility: number;
  byStatus: Record<ComplianceStatus, number>;
};

/** The figures a score sentence needs: "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed". */
export function summarizeCompliance(statuses: readonly ComplianceStatus[]): ComplianceSummary {
  const byStatus = Object.fromEntries(COMPLIANCE_STATUSES.map((status) => [status, 0])) as Record<ComplianceStatus, number>;
  for (const status of statuses) byStatus[status] += 1;
  const assessedPassed = byStatus.passed + byStatus.passed_with_accepted_risk;
  const assessed = assessedPassed + byStatus.failed;
  return {
    assessed, assessedPassed,
    automatedScore: assessed === 0 ? null : Math.round((assessedPassed / assessed) * 1000) / 10,
    withEvidence: byStatus.evidence_provided,
    evidenceMissing: byStatus.evidence_missing,
    notAssessed: byStatus.not_assessed,
    excluded: byStatus.excluded,
    providerResponsibility: byStatus.provider_responsibility,
    byStatus,
  };
}

/** "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed" (parts with zero are left out). */
export function describeCoverage(summary: ComplianceSummary, noun = 'requirements'): string {
  const parts = [summary.automatedScore === null ? `no ${noun} assessed automatically` : `automated ${summary.automatedScore}% of ${summary.assessed} assessed ${noun}`];
  if (summary.withEvidence) parts.push(`${summary.withEvidence} with evidence`);
  if (summary.evidenceMissing) parts.push(`${summary.evidenceMissing} with evidence missing or expired`);
  if (summary.notAssessed) parts.push(`${summary.notAssessed} not assessed`);
  if (summary.excluded) parts.push(`${summary.excluded} excluded`);
  if (summary.providerResponsibility) parts.push(`${summary.providerResponsibility} provider responsibility`);
  return parts.join('; ');
}
