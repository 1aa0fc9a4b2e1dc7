import { COMPLIANCE_STATUS_LABELS } from '../../../analysis/frameworks/compliance-status';
import type { ReportAccessReview, ReportAccessReviewItem, ReportData, ReportEvidence, ReportFinding, ReportRequirement, ReportRiskAcceptance } from './types';

/**
 * The framework's requirement table, first in the file: what an auditor reads before the findings. The status is
 * the compliance vocabulary's (label, then its code); applicability, justification and owner come from the
 * Statement of Applicability in force at the period end; `evidence` lists the requirement's evidence then;
 * `automated_result` is what Bulwark's controls alone said (pass, fail, not_applicable, manual);
 * `organization_controls` names the organization's own controls among `controls`, each with the version(s) the
 * clusters evaluated and its result.
 */
export const CSV_REQUIREMENT_COLUMNS = [
  'requirement_id', 'requirement_title', 'status_at_period_end', 'status_code', 'applicability', 'justification', 'owner', 'implementation_status',
  'evidence_state', 'evidence', 'automated_result', 'passes_by_accepted_risk', 'assessment', 'controls', 'failing_controls',
  'open_findings', 'accepted_risks', 'accepted_risk_details', 'organization_controls',
] as const;

export const CSV_COLUMNS = [
  'cluster', 'namespace', 'kind', 'name', 'control_id', 'title', 'severity', 'status_at_period_end', 'cis_ids', 'iso27001_ids',
  'owner', 'due_date', 'first_seen', 'resolved_at', 'message',
] as const;

/**
 * One CSV cell. There is no CSV library in the project, so this is the whole escaper, in two steps:
 *
 * 1. Spreadsheet formula neutralisation (OWASP "CSV injection"): Excel, LibreOffice and Google Sheets run a
 *    cell that starts with = + - @ (or a tab / carriage return, which some of them strip before looking) as a
 *    formula, and a finding's message or a resource name is text an attacker can shape inside their cluster
 *    (`=HYPERLINK(...)` as a pod name would be one). Such a cell gets a leading apostrophe, which the
 *    spreadsheet shows as text and does not display. The apostrophe is data for other CSV readers; we accept
 *    that cost for negative numbers too, since no column here is numeric.
 * 2. RFC 4180 quoting: a cell containing a comma, a double quote, CR or LF is enclosed in double quotes, and
 *    each double quote inside is doubled. Everything else is written as is.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 records end with CRLF. */
export function csvRow(cells: readonly (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function findingRow(finding: ReportFinding): string {
  return csvRow([
    finding.clusterName, finding.namespace, finding.kind, finding.name, finding.controlId, finding.controlTitle, finding.severity,
    finding.status, finding.cisIds.join(' '), finding.isoIds.join(' '), finding.owner, finding.dueAt, finding.firstSeenAt,
    finding.resolvedAt, finding.message,
  ]);
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'not recorded';
}

/** "prod: shop / Deployment worker (workload.privileged-container), approved by Olivia on 2026-03-02, expires 2026-06-01: <justification>". */
function acceptanceText(acceptance: ReportRiskAcceptance): string {
  return `${acceptance.clusterName}: ${acceptance.resource} (${acceptance.controlId}), requested by ${acceptance.requestedBy}, `
    + `approved by ${acceptance.approvedBy} on ${day(acceptance.approvedAt)}, expires ${day(acceptance.expiresAt)}: ${acceptance.justification}${acceptance.decisionNote ? ` (decision note: ${acceptance.decisionNote})` : ''}`;
}

/** "Access policy (file policy.pdf, collected 2026-11-01, valid until 2027-11-01, reviewed by Olivia on 2026-11-02): accepted". */
function evidenceText(item: ReportEvidence): string {
  const what = item.kind === 'file' ? `file ${item.fileName ?? ''}${item.sha256 ? ` sha256:${item.sha256}` : ''}` : item.kind === 'link' ? `link ${item.url ?? ''}` : 'attestation';
  const review = item.reviewedBy ? `, reviewed by ${item.reviewedBy} on ${day(item.reviewedAt)}` : ', not reviewed';
  return `${item.title} (${what}, collected ${day(item.collectedAt)}, valid until ${day(item.validUntil)}${review}): ${item.status}`;
}

/** "custom.owner-label v3 (Deployments have an owner label): fail": the organization's own controls, one a line. */
function ownControlsText(requirement: ReportRequirement): string {
  return (requirement.ownControls ?? []).map((control) => `${control.id} ${control.versions.map((v) => `v${v}`).join(', ') || 'version not recorded'} (${control.title}): ${control.status}`).join('\n');
}

function requirementRow(requirement: ReportRequirement, acceptances: readonly ReportRiskAcceptance[], evidence: readonly ReportEvidence[]): string {
  const controls = new Set(requirement.controlIds);
  const mine = acceptances.filter((acceptance) => controls.has(acceptance.controlId));
  return csvRow([
    requirement.id, requirement.title, COMPLIANCE_STATUS_LABELS[requirement.complianceStatus], requirement.complianceStatus,
    `${requirement.applicability}${requirement.decided ? '' : ' (default)'}`, requirement.justification, requirement.owner, requirement.implementationStatus,
    requirement.evidence, evidence.filter((item) => item.requirementId === requirement.id).map(evidenceText).join('\n'),
    requirement.status, requirement.accepted ? 'yes' : 'no', requirement.assessment,
    requirement.controlIds.join(' '), requirement.failingControlIds.join(' '), String(requirement.openFindings), String(mine.length),
    mine.map(acceptanceText).join('\n'), ownControlsText(requirement),
  ]);
}

/**
 * Two tables in one UTF-8 file: the report framework's requirements as they stood at the period end (one row
 * each, with the risk acceptances in force that cover their controls), a blank line, then one row per finding
 * that existed at the period end. Each table starts with its own header row, so a spreadsheet shows both and a
 * reader can split the file at the blank line.
 */
export async function* renderCsv(data: ReportData): AsyncGenerator<string> {
  yield csvRow(CSV_REQUIREMENT_COLUMNS);
  yield data.requirements.map((requirement) => requirementRow(requirement, data.riskAcceptances, data.evidence)).join('');
  yield '\r\n';
  yield csvRow(CSV_COLUMNS);
  for await (const page of data.findings()) {
    yield page.map(findingRow).join('');
  }
  if (data.accessReviews && data.accessReviews.length > 0) {
    yield '\r\n';
    yield csvRow(CSV_ACCESS_REVIEW_COLUMNS);
    for (const campaign of data.accessReviews) yield campaign.items.map((item) => accessReviewRow(campaign, item)).join('');
  }
}

/** The third table of an ISO 27001 report (issue 22): one row per decision of each access review signed off in the period. */
export const CSV_ACCESS_REVIEW_COLUMNS = [
  'access_review', 'iso27001_ids', 'signed_off_by', 'signed_off_at', 'cluster', 'subject', 'right', 'risks', 'new_since_last_review',
  'decision', 'reason', 'decided_by', 'decided_at', 'revocation', 'revocation_carried_out_at',
] as const;

function accessReviewRow(campaign: ReportAccessReview, item: ReportAccessReviewItem): string {
  return csvRow([
    campaign.name, 'A.5.15 A.5.18 A.8.2', campaign.signedOffBy, campaign.completedAt, item.cluster, item.subject, item.right, item.risks.join(' '),
    item.isNew ? 'yes' : 'no', item.decision, item.reason, item.decidedBy, item.decidedAt, item.revocation, item.revocationClosedAt,
  ]);
}
