/**
 * The plain data a report is rendered from: what lib/services/reports/report-data.ts reads from the database as of the
 * period end, and what every renderer (PDF, CSV, JSON, OSCAL) takes. No Prisma types, no Dates: ISO strings,
 * so the JSON report is this data as it is.
 */

export type ReportSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export const REPORT_SEVERITIES: readonly ReportSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export type ReportFindingStatus = 'OPEN' | 'ACKNOWLEDGED' | 'RISK_ACCEPTED' | 'RESOLVED';
export type ReportRequirementStatus = 'pass' | 'fail' | 'not_applicable' | 'manual';
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

export type ReportHeader = {
  reportId: string;
  organization: { name: string; slug: string };
  framework: { id: string; name: string; version: string };
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
  status: 'pass' | 'fail' | 'not_applicable';
  openFindings: number;
  acceptedFindings: number;
  evaluatedAt: string;
  reason: string | null;
};

export type ReportData = {
  header: ReportHeader;
  summary: ReportSummary;
  trend: TrendSeries[];
  requirements: ReportRequirement[];
  riskAcceptances: ReportRiskAcceptance[];
  exceptions: ReportException[];
  manualRequirements: ReportManualRequirement[];
  controlOutcomes: ReportControlOutcome[];
  findings: FindingPages;
};
