import type { ReportData, ReportFinding } from './types';

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

/** One row per finding that existed at the period end, as UTF-8 text chunks (a header row first). */
export async function* renderCsv(data: ReportData): AsyncGenerator<string> {
  yield csvRow(CSV_COLUMNS);
  for await (const page of data.findings()) {
    yield page.map(findingRow).join('');
  }
}
