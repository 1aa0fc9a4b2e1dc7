import { formatIssuePath } from './issue-path';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { findSensitiveValues, type SensitiveValue } from './redact';
import { POLICY_LIST_KINDS, POLICY_LIST_NAMES, RESOURCE_KINDS, RESOURCE_NAMES, SnapshotSchema, type Snapshot } from './schema';

export type SnapshotIssue = { path: string; message: string };
export type ParseSnapshotResult = { ok: true; snapshot: Snapshot } | { ok: false; issues: SnapshotIssue[] };

/** How many issues a rejection lists: enough to fix a batch of mistakes, small enough for an error body. */
export const MAX_REPORTED_ISSUES = 20;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// "looks like a credential (jwt)", or for a value the detectors refused to read, why it must still be redacted.
function describeLeak(leak: SensitiveValue, looksLike = 'looks like a credential'): string {
  return leak.reason === 'too-long-to-scan'
    ? `is too long to scan for credentials (over ${MAX_SCANNED_VALUE_LENGTH.toLocaleString('en-US')} characters)`
    : `${looksLike} (${leak.reason})`;
}

function leakMessage(leak: SensitiveValue): string {
  switch (leak.where) {
    case 'secret-data':
      return 'Secret values must not be sent: a snapshot carries key names only';
    case 'last-applied':
      return 'the last-applied-configuration annotation must be removed: it can hold secret values';
    case 'env':
      return `env value ${describeLeak(leak)} and must be redacted`;
    case 'http-header':
      return `HTTP header value ${describeLeak(leak)} and must be redacted`;
    case 'argument':
      return `argument ${describeLeak(leak, 'looks like it holds a credential')} and must be redacted`;
    case 'annotation':
      return `annotation value ${describeLeak(leak)} and must be redacted`;
    case 'policy-report-message':
      return `policy report message ${describeLeak(leak, 'contains something that looks like a credential')} and must be redacted`;
    case 'policy-report-property':
      return `policy report property ${describeLeak(leak)} and must be redacted`;
    case 'configmap-data':
      return `ConfigMap value ${describeLeak(leak)} and must be redacted (a snapshot carries ConfigMap keys, and redaction markers for credential-like values only)`;
  }
}

/**
 * Credential-like data in a (possibly invalid) snapshot body: the backend's own check, in case an agent
 * was modified, outdated or buggy. It uses the same finder the agent redacts with.
 */
export function findSecretLeaks(json: unknown): SnapshotIssue[] {
  if (!isRecord(json) || !isRecord(json.objects)) return [];
  const issues: SnapshotIssue[] = [];
  for (const resource of RESOURCE_NAMES) {
    const list = json.objects[resource];
    if (!Array.isArray(list)) continue;
    list.forEach((object, index) => {
      // Each object is checked as the kind its list holds, whatever its own kind field claims.
      const subject = isRecord(object) ? { ...object, kind: RESOURCE_KINDS[resource] } : object;
      for (const leak of findSensitiveValues(subject)) {
        issues.push({ path: formatIssuePath(['objects', resource, index, ...leak.path]), message: leakMessage(leak) });
      }
    });
  }
  for (const list of POLICY_LIST_NAMES) {
    const objects = json.objects[list];
    if (!Array.isArray(objects)) continue;
    const kinds: readonly string[] = POLICY_LIST_KINDS[list];
    objects.forEach((object, index) => {
      // As above: a list's own kinds only (a "Secret" in policyreports is scanned as a PolicyReport).
      const kind = isRecord(object) && typeof object.kind === 'string' && kinds.includes(object.kind) ? object.kind : (kinds[0] ?? 'Constraint');
      const subject = isRecord(object) ? { ...object, kind } : object;
      for (const leak of findSensitiveValues(subject)) {
        issues.push({ path: formatIssuePath(['objects', list, index, ...leak.path]), message: leakMessage(leak) });
      }
    });
  }
  return issues;
}

/**
 * Validates a decoded snapshot body. Issues name JSON paths (`objects.pods[3].metadata.name`); a body that
 * carries anything that looks like secret data is refused even when it matches the schema.
 */
export function parseSnapshot(json: unknown): ParseSnapshotResult {
  const leaks = findSecretLeaks(json);
  const result = SnapshotSchema.safeParse(json);
  if (result.success && leaks.length === 0) return { ok: true, snapshot: result.data };
  const schemaIssues = result.success
    ? []
    : result.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
  return { ok: false, issues: [...leaks, ...schemaIssues].slice(0, MAX_REPORTED_ISSUES) };
}
