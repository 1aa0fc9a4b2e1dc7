import { classifyNamedValue, detectSecretPattern, detectSecretValue } from './detect';
import { formatIssuePath } from './issue-path';
import { REDACTED_MARKER_PREFIX, redactedMarker } from './redact';
import type { RedactionReason } from './schema';
import type { NodeReport } from './node-report';

/**
 * Redaction for node reports, with the snapshot's detectors (detect.ts): the collector applies it before a report
 * leaves the node, and the backend runs the same finder to refuse a report that still carries a credential.
 * Flag values and config strings are judged by their own name (the flag, or the config key holding them) and
 * content: `--token=abc…` or `password: hunter2` become markers, paths and on/off settings stay readable.
 */

/** Nesting deeper than this in a config file is cut off (a real KubeletConfiguration is 4 levels deep). */
const MAX_CONFIG_DEPTH = 32;
const isMarker = (value: string): boolean => value.startsWith(REDACTED_MARKER_PREFIX);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Kubernetes component flags whose name holds a credential word but whose value is a setting the CIS benchmark
 * reads (`--authorization-mode=Node,RBAC`): judged by content only, never by name. Most such flags need no entry:
 * paths, durations after a TTL suffix and on/off values already stay readable (detect.ts).
 */
const SETTING_FLAGS = new Set(['authorization-mode', 'service-account-max-token-expiration', 'authorization-webhook-version', 'authentication-token-webhook-version']);
/** Config keys naming the document's type: `kubelet.config.k8s.io/v1beta1` looks random to the entropy test but never is a secret. */
const TYPE_KEYS = new Set(['apiVersion', 'kind']);

function judge(name: string, value: string): RedactionReason | null {
  if (isMarker(value)) return null;
  if (SETTING_FLAGS.has(name)) return detectSecretValue(value);
  if (TYPE_KEYS.has(name)) return detectSecretPattern(value);
  return classifyNamedValue(name, value);
}

/** Flag values with credential-like ones replaced by markers (flag names stay: controls read them). */
export function redactFlags(flags: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(flags)) {
    out[name] = values.map((value) => {
      const reason = judge(name, value);
      return reason ? redactedMarker(value, reason) : value;
    });
  }
  return out;
}

/** A parsed config file with credential-like strings replaced by markers; keys, numbers and booleans stay. */
export function redactConfigContent(content: unknown, name = '', depth = 0): unknown {
  if (depth > MAX_CONFIG_DEPTH) return null;
  if (typeof content === 'string') {
    const reason = judge(name, content);
    return reason ? redactedMarker(content, reason) : content;
  }
  if (Array.isArray(content)) return content.map((item) => redactConfigContent(item, name, depth + 1));
  if (isRecord(content)) {
    return Object.fromEntries(Object.entries(content).map(([key, value]) => [key, redactConfigContent(value, key, depth + 1)]));
  }
  return content;
}

export type NodeReportCredential = { path: string; reason: RedactionReason };

function findInContent(content: unknown, name: string, path: (string | number)[], out: NodeReportCredential[], depth = 0): void {
  if (depth > MAX_CONFIG_DEPTH + 1) return;
  if (typeof content === 'string') {
    const reason = judge(name, content);
    if (reason) out.push({ path: formatIssuePath(path), reason });
  } else if (Array.isArray(content)) {
    content.forEach((item, index) => findInContent(item, name, [...path, index], out, depth + 1));
  } else if (isRecord(content)) {
    for (const [key, value] of Object.entries(content)) findInContent(value, key, [...path, key], out, depth + 1);
  }
}

/** Every place in a (schema-valid) report that still holds a credential-like value, by path. Empty when clean. */
export function findNodeReportCredentials(report: NodeReport): NodeReportCredential[] {
  const out: NodeReportCredential[] = [];
  for (const [component, settings] of Object.entries(report.components)) {
    if (!settings) continue;
    for (const [flag, values] of Object.entries(settings.flags)) {
      values.forEach((value, index) => {
        const reason = judge(flag, value);
        if (reason) out.push({ path: formatIssuePath(['components', component, 'flags', flag, index]), reason });
      });
    }
    if (settings.config) findInContent(settings.config.content, '', ['components', component, 'config', 'content'], out);
  }
  return out;
}
