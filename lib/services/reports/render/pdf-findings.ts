import { COLOR, formatDate, heading, paragraph, TableWriter, type Column, type Doc } from './pdf-layout';
import { REPORT_SEVERITIES, type ReportData, type ReportFinding, type ReportSeverity } from './types';

const SEVERITY_COLOR: Record<ReportSeverity, string> = { CRITICAL: '#991b1b', HIGH: '#c2410c', MEDIUM: '#a16207', LOW: COLOR.muted };
const STATUS_LABEL: Record<ReportFinding['status'], string> = { OPEN: 'Open', ACKNOWLEDGED: 'Acknowledged', RISK_ACCEPTED: 'Risk accepted', RESOLVED: 'Resolved' };
const REASON_LABEL: Record<string, string> = { FIXED: 'fixed', FALSE_POSITIVE: 'false positive', EXCEPTION: 'exception', CONTROL_DISABLED: 'control disabled' };

const title = (severity: ReportSeverity): string => severity.charAt(0) + severity.slice(1).toLowerCase();

export function resourceOf(finding: ReportFinding): string {
  return `${finding.clusterName} / ${finding.namespace ?? '(cluster)'} / ${finding.kind} ${finding.name}`;
}

export function statusOf(finding: ReportFinding): string {
  const reason = finding.status === 'RESOLVED' && finding.resolutionReason ? ` (${REASON_LABEL[finding.resolutionReason] ?? finding.resolutionReason.toLowerCase()})` : '';
  return `${STATUS_LABEL[finding.status]}${reason}`;
}

function isOverdue(finding: ReportFinding, end: string): boolean {
  return finding.dueAt !== null && finding.dueAt < end && (finding.status === 'OPEN' || finding.status === 'ACKNOWLEDGED');
}

/** Open and acknowledged findings at the period end, one table per severity, with owner and due date. */
export async function drawOpenFindings(doc: Doc, data: ReportData): Promise<void> {
  const { summary, header } = data;
  heading(doc, 'Open findings by severity', { newPage: true });
  const open = summary.findings.open + summary.findings.acknowledged;
  paragraph(doc, `${open} finding(s) were open or acknowledged at the period end: ${REPORT_SEVERITIES.map((s) => `${summary.findings.openBySeverity[s]} ${s.toLowerCase()}`).join(', ')}. "Overdue" marks a due date before the period end.`, { size: 8.5, color: COLOR.muted });
  if (open === 0) return;
  const columns: Column<ReportFinding>[] = [
    { header: 'Control', width: 112, maxLines: 2, value: (f) => f.controlId },
    { header: 'Resource', width: 150, maxLines: 2, value: resourceOf },
    { header: 'Status', width: 64, value: (f) => STATUS_LABEL[f.status] },
    { header: 'Owner', width: 88, maxLines: 2, value: (f) => f.owner ?? 'unassigned', color: (f) => (f.owner ? COLOR.text : COLOR.muted) },
    { header: 'Due', width: 85, maxLines: 2, value: (f) => (f.dueAt ? `${formatDate(f.dueAt)}${isOverdue(f, header.period.end) ? ' overdue' : ''}` : 'none'), color: (f) => (isOverdue(f, header.period.end) ? COLOR.fail : COLOR.text) },
  ];
  let current: ReportSeverity | null = null;
  let table: TableWriter<ReportFinding> | null = null;
  for await (const page of data.findings({ openOnly: true })) {
    for (const finding of page) {
      if (finding.severity !== current) {
        table?.end();
        current = finding.severity;
        heading(doc, `${title(current)}: ${summary.findings.openBySeverity[current]} open`, { size: 11 });
        table = new TableWriter(doc, columns, `${title(current)} findings`).begin();
      }
      table?.row(finding);
    }
  }
  table?.end();
}

/** Every finding in the report, with its status at the period end. */
export async function drawAppendix(doc: Doc, data: ReportData): Promise<void> {
  heading(doc, 'Appendix: findings', { newPage: true });
  paragraph(doc, `Every finding that existed at the period end (${data.summary.findings.total}), including those resolved during the period, ordered by severity and control. Status is the status at the period end.`, { size: 8.5, color: COLOR.muted });
  const table = new TableWriter<ReportFinding>(doc, [
    { header: 'Severity', width: 40, value: (f) => title(f.severity), color: (f) => SEVERITY_COLOR[f.severity], bold: true },
    { header: 'Status', width: 64, maxLines: 2, value: (f) => `${statusOf(f)}${f.resolvedAt ? ` ${formatDate(f.resolvedAt)}` : ''}` },
    { header: 'Control', width: 105, maxLines: 2, value: (f) => f.controlId },
    { header: 'Resource', width: 125, maxLines: 2, value: resourceOf },
    { header: 'First seen', width: 46, value: (f) => formatDate(f.firstSeenAt) },
    { header: 'Message', width: 119, maxLines: 2, value: (f) => f.message },
  ], 'Findings', { fontSize: 6.5 }).begin();
  for await (const page of data.findings()) {
    for (const finding of page) table.row(finding);
  }
  table.end('No finding existed at the period end.');
}
