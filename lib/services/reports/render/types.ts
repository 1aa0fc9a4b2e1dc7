import type { ReviewEvidence, ReviewEvidenceItem } from '../../reviews/evidence';

/**
 * The plain data a report is rendered from: what lib/services/reports/report-data.ts reads from the database as of the
 * period end, and what every renderer (PDF, CSV, JSON, OSCAL) takes. No Prisma types, no Dates: ISO strings,
 * so the JSON report is this data as it is.
 */

import type { Applicability, ComplianceStatus, EvidenceState } from '../../../analysis/frameworks/compliance-status';

export type ReportSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export const REPORT_SEVERITIES: readonly ReportSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export type ReportFindingStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RISK_ACCEPTED' | 'RESOLVED';
export type ReportRequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual' | 'provider_responsibility';
export type ReportFormatName = 'PDF' | 'CSV' | 'JSON' | 'OSCAL';

/** One finding as it stood at the period end. */
export type ReportFinding = {
  id: string;
  clusterId: string;
  clusterName: string;
  namespace: string | null;
  kind: string;
  name: string;
  controlId: string;
  controlTitle: string;
  severity: ReportSeverity;
  /** Reconstructed from the finding's timeline: the status it had at the period end, not today's. */
  status: ReportFindingStatus;
  /** FIXED, FALSE_POSITIVE or EXCEPTION when status is RESOLVED. */
  resolutionReason: string | null;
  cisIds: string[];
  isoIds: string[];
  /** Assignee (user name or email, or "team: <name>") at the period end; null when unassigned. */
  owner: string | null;
  dueAt: string | null;
  firstSeenAt: string;
  /** When it was last resolved, if it was resolved at the period end. */
  resolvedAt: string | null;
  message: string;
};

/**
 * The findings of the report, read page by page (the database keeps 20,000 findings out of memory). Each call
 * starts a new pass, ordered by severity then control; `openOnly` keeps OPEN and ACKNOWLEDGED ones.
 */
export type FindingPages = (options?: { openOnly?: boolean }) => AsyncIterable<readonly ReportFinding[]>;

export type ReportCluster = {
  id: string;
  name: string;
  /** How often its agent is expected to report. */
  reportingIntervalSeconds: number;
  /** The evaluation the report uses for this cluster: its latest one started at or before the period end. */
  evaluation: { id: string; evaluatedAt: string; collectedAt: string | null; catalogVersion: string } | null;
};

/** One of the organization's own controls (issue 23) behind a requirement, named with the version(s) the clusters ran. */
export type ReportOwnControl = {
  id: string;
  title: string;
  /** The versions whose results the report uses (one per cluster's evaluation; several while clusters differ). */
  versions: number[];
  status: 'pass' | 'fail' | 'accepted' | 'not_applicable';
};

export type ReportHeader = {
  reportId: string;
  organization: { name: string; slug: string };
  /**
   * `own`: the organization's own framework (`org:<key>`): its requirements are decided by the organization's
   * custom controls only; it has no Statement of Applicability and no evidence register of its own.
   */
  framework: { id: string; name: string; version: string; own?: { key: string; description: string } };
  /** allClusters: the request named no cluster, so every cluster that existed at the period end is in scope. */
  scope: { allClusters: boolean; clusters: ReportCluster[] };
  period: { start: string; end: string };
  generatedAt: string;
  generatedBy: string;
  /** The control catalog this Bulwark version evaluates with (evaluations record their own, per cluster). */
  catalogVersion: string;
};

export type ScoreFigures = { score: number; passed: number; failed: number; notApplicable: number; manual: number; accepted: number };

export type ReportSummary = {
  /** The headline: the organization-wide score point at the period end, or computed over the clusters in scope. */
  headline: ScoreFigures & { source: 'score-point' | 'computed'; at: string | null };
  /** Each cluster's own score point at the period end (null when it had none yet). */
  byCluster: { clusterId: string; clusterName: string; score: ScoreFigures | null; at: string | null }[];
  /** Requirement counts of the table in this report (the clusters in scope merged). */
  requirements: Record<ReportRequirementStatus, number> & { accepted: number };
  findings: { total: number; open: number; acknowledged: number; riskAccepted: number; resolved: number; overdue: number; openBySeverity: Record<ReportSeverity, number> };
};

/** A daily score series over the period (organization-wide, or one per cluster in scope). */
export type TrendSeries = { label: string; points: { day: string; score: number; minScore: number; maxScore: number }[] };

export type ReportRequirement = {
  id: string;
  title: string;
  description: string;
  assessment: 'automated' | 'partial' | 'manual';
  status: ReportRequirementStatus;
  /** Passing only because the findings of some of its controls are risk-accepted. */
  accepted: boolean;
  /** Every catalog control mapped to the requirement, and the ones failing at the period end. */
  controlIds: string[];
  failingControlIds: string[];
  openFindings: number;
  reason: string | null;
  /** The organization's own controls among controlIds, with the versions evaluated (absent or empty: none). */
  ownControls?: ReportOwnControl[];
  /** The status in the compliance vocabulary: the SoA decision in force at the period end, the clusters, the evidence. */
  complianceStatus: ComplianceStatus;
  /** The Statement of Applicability's decision (applicable until someone decides otherwise). */
  applicability: Applicability;
  /** False while nobody decided: the default, "applicable, not assessed by Bulwark" where no control decides it. */
  decided: boolean;
  /** Why excluded or the provider's (always there for those), or a note on an applicable one. */
  justification: string | null;
  /** Who answers for the requirement (SoA owner), as a name or e-mail. */
  owner: string | null;
  /** "Not started", "In progress", "Implemented" (SoA), or null when not recorded. */
  implementationStatus: string | null;
  /** The evidence at the period end: current, expired, requested or none. */
  evidence: EvidenceState;
};

/** The Statement of Applicability the report uses: the version approved by the period end, or the draft. */
export type ReportSoa = {
  version: { number: number; approvedBy: string; approvedAt: string; digest: string } | null;
  /** No version was approved by the period end: the decisions are the draft as it stands (the report says so). */
  draft: boolean;
  /** Requirements whose draft decision differs from the version used. */
  unapprovedChanges: string[];
  /** "automated 9.5% of 21 assessed requirements; 18 with evidence; 54 not assessed" (this report's statuses). */
  coverage: string;
  byStatus: Record<ComplianceStatus, number>;
};

/** One piece of evidence for a requirement of the framework, as it stood at the period end (never its bytes). */
export type ReportEvidence = {
  id: string;
  requirementId: string;
  kind: 'file' | 'link' | 'attestation';
  title: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  url: string | null;
  owner: string | null;
  uploadedBy: string;
  collectedAt: string;
  validUntil: string;
  /** At the period end: accepted and valid, accepted but past its validity (expired), waiting for review, rejected. */
  status: 'accepted' | 'expired' | 'pending' | 'rejected';
  reviewedBy: string | null;
  reviewedAt: string | null;
};

export type ReportRiskAcceptance = {
  id: string;
  findingId: string;
  controlId: string;
  severity: ReportSeverity;
  resource: string;
  clusterName: string;
  justification: string;
  requestedBy: string;
  approvedBy: string;
  approvedAt: string | null;
  /** The approver's note on the decision, as written (null when none was given). */
  decisionNote: string | null;
  expiresAt: string;
};

export type ReportException = {
  id: string;
  controlId: string;
  scope: string;
  target: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
};

export type ReportManualRequirement = { id: string; title: string; assessment: 'partial' | 'manual'; evidence: string };

/** One control's result on one cluster at the period end: the OSCAL observations. */
export type ReportControlOutcome = {
  clusterId: string;
  clusterName: string;
  controlId: string;
  controlTitle: string;
  status: 'pass' | 'fail' | 'not_applicable' | 'provider_responsibility';
  openFindings: number;
  acceptedFindings: number;
  evaluatedAt: string;
  reason: string | null;
  /** The organization's own control: the version this cluster's evaluation ran. */
  ownVersion?: number;
};

/**
 * A completed access review and its decisions, as the reviews room reads them for a report (evidence for ISO 27001
 * A.5.15, A.5.18 and A.8.2): one definition, owned by lib/services/reviews/evidence.ts.
 */
export type ReportAccessReviewItem = ReviewEvidenceItem;
export type ReportAccessReview = ReviewEvidence;

/** The ISO 27001:2022 requirements a completed access review is evidence for. */
export const ACCESS_REVIEW_REQUIREMENT_IDS = ['A.5.15', 'A.5.18', 'A.8.2'] as const;

export type ReportData = {
  header: ReportHeader;
  summary: ReportSummary;
  trend: TrendSeries[];
  requirements: ReportRequirement[];
  riskAcceptances: ReportRiskAcceptance[];
  exceptions: ReportException[];
  manualRequirements: ReportManualRequirement[];
  controlOutcomes: ReportControlOutcome[];
  soa: ReportSoa;
  /** Evidence that existed at the period end for the framework's requirements, by requirement then collection date. */
  evidence: ReportEvidence[];
  /** Access reviews signed off within the period (ISO 27001 reports only; absent or empty otherwise). */
  accessReviews?: ReportAccessReview[];
  findings: FindingPages;
};
