import { formatIssuePath } from './issue-path';
import { NODE_REPORT_API_VERSION, nodeReportSchema, type NodeReport } from './node-report';
import { findNodeReportCredentials } from './node-report-redact';
import { MAX_REPORTED_ISSUES, type SnapshotIssue } from './parse';

export type ParseNodeReportResult = { ok: true; report: NodeReport } | { ok: false; issues: SnapshotIssue[] };

/**
 * A node report as the backend accepts it: the schema, then the credential finder (a report still carrying a
 * credential-like value is refused, naming where, never the value). Issues name JSON paths: `components.kubelet.flags.token[0]`.
 */
export function parseNodeReport(json: unknown): ParseNodeReportResult {
  const parsed = nodeReportSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({ path: formatIssuePath(issue.path) || '(body)', message: issue.message }));
    return { ok: false, issues };
  }
  const leaks = findNodeReportCredentials(parsed.data);
  if (leaks.length > 0) {
    return {
      ok: false,
      issues: leaks.slice(0, MAX_REPORTED_ISSUES).map((leak) => ({ path: leak.path, message: `looks like a credential (${leak.reason}); the collector must send a redaction marker` })),
    };
  }
  return { ok: true, report: parsed.data };
}

export { NODE_REPORT_API_VERSION };
