import { COMPLIANCE_STATUS_LABELS, type ComplianceStatus } from '../../../analysis/frameworks/compliance-status';
import { COLOR, formatDate, heading, paragraph, TableWriter, type Doc } from './pdf-layout';
import type { ReportData, ReportEvidence, ReportRequirement } from './types';

/** The colour of a status in the compliance vocabulary: met green, failed red, lacking evidence amber, the rest grey. */
export const COMPLIANCE_COLOR: Record<ComplianceStatus, string> = {
  passed: COLOR.pass,
  passed_with_accepted_risk: COLOR.accepted,
  evidence_provided: COLOR.pass,
  failed: COLOR.fail,
  evidence_missing: COLOR.manual,
  not_assessed: COLOR.na,
  excluded: COLOR.na,
  provider_responsibility: COLOR.na,
};

const APPLICABILITY_TEXT: Record<ReportRequirement['applicability'], string> = {
  applicable: 'Applicable',
  excluded: 'Excluded',
  provider_responsibility: 'Provider responsibility',
};

function soaIntro(data: ReportData): string {
  const { soa } = data;
  const version = soa.version
    ? `Version ${soa.version.number} of the Statement of Applicability, approved by ${soa.version.approvedBy} on ${formatDate(soa.version.approvedAt)}, was in force at the period end.`
    : 'No version of the Statement of Applicability had been approved by the period end: the decisions below are the draft as it stood, not an approved statement.';
  const later = soa.unapprovedChanges.length > 0 ? ` ${soa.unapprovedChanges.length} requirement(s) were changed in the draft since and are shown as approved: ${soa.unapprovedChanges.join(', ')}.` : '';
  return `${version}${later} Every requirement is applicable unless excluded with a justification or carried by the infrastructure provider; a requirement nobody decided yet is applicable by default. Status uses the vocabulary defined in the methodology. Coverage: ${soa.coverage}.`;
}

/** "Statement of Applicability": requirement, applicability, justification, owner and status, for every requirement. */
export function drawStatementOfApplicability(doc: Doc, data: ReportData): void {
  heading(doc, 'Statement of Applicability', { newPage: true });
  paragraph(doc, soaIntro(data), { size: 8.5, color: COLOR.muted });
  const table = new TableWriter<ReportRequirement>(doc, [
    { header: 'ID', width: 38, value: (r) => r.id, bold: true },
    { header: 'Requirement', width: 110, value: (r) => r.title, maxLines: 3 },
    { header: 'Applicability', width: 66, value: (r) => `${APPLICABILITY_TEXT[r.applicability]}${r.decided ? '' : ' (default)'}`, maxLines: 2 },
    // Written out whole: an auditor reads the justification of every exclusion.
    { header: 'Justification', width: 127, value: (r) => r.justification ?? '', maxLines: 14 },
    { header: 'Owner', width: 80, value: (r) => [r.owner, r.implementationStatus].filter(Boolean).join(' · '), maxLines: 4 },
    { header: 'Status', width: 78, value: (r) => COMPLIANCE_STATUS_LABELS[r.complianceStatus], color: (r) => COMPLIANCE_COLOR[r.complianceStatus], bold: true, maxLines: 3 },
  ], 'Statement of Applicability').begin();
  for (const requirement of data.requirements) table.row(requirement);
  table.end();
}

const EVIDENCE_STATUS: Record<ReportEvidence['status'], { text: string; color: string }> = {
  accepted: { text: 'Accepted', color: COLOR.pass },
  expired: { text: 'Expired', color: COLOR.manual },
  pending: { text: 'Awaiting review', color: COLOR.na },
  rejected: { text: 'Rejected', color: COLOR.fail },
};

function evidenceWhat(item: ReportEvidence): string {
  const kind = item.kind === 'file' ? `file ${item.fileName ?? ''}${item.sha256 ? `, SHA-256 ${item.sha256.slice(0, 16)}…` : ''}` : item.kind === 'link' ? `link ${item.url ?? ''}` : 'attestation';
  return `${item.title} (${kind})`;
}

/** "Evidence": each piece of evidence the period end knew of, with its dates, reviewer and status then. */
export function drawEvidence(doc: Doc, data: ReportData): void {
  heading(doc, 'Evidence', { size: 13 });
  paragraph(doc, 'Evidence recorded in Bulwark for requirements a cluster cannot show, as it stood at the period end. Evidence counts once a reviewer other than its uploader accepted it, and only within its validity; files are kept in Bulwark and can be shown on request.', { size: 8.5, color: COLOR.muted });
  const table = new TableWriter<ReportEvidence>(doc, [
    { header: 'Req.', width: 40, value: (e) => e.requirementId, bold: true },
    { header: 'Evidence', width: 160, value: evidenceWhat, maxLines: 4 },
    { header: 'Collected', width: 52, value: (e) => formatDate(e.collectedAt) },
    { header: 'Valid until', width: 52, value: (e) => formatDate(e.validUntil) },
    { header: 'Reviewer', width: 120, value: (e) => (e.reviewedBy ? `${e.reviewedBy}, ${formatDate(e.reviewedAt)}` : 'not reviewed'), maxLines: 3 },
    { header: 'Status', width: 75, value: (e) => EVIDENCE_STATUS[e.status].text, color: (e) => EVIDENCE_STATUS[e.status].color, bold: true },
  ], 'Evidence').begin();
  for (const item of data.evidence) table.row(item);
  table.end('No evidence had been recorded for this framework by the period end.');
}
