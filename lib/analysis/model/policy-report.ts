import { z } from 'zod';
import { detectSecretPattern, detectSecretValue, isSensitiveName } from '@/lib/analysis/snapshot/detect';
import type { Severity } from './evidence';

/**
 * The wgpolicyk8s.io PolicyReport and ClusterPolicyReport (v1alpha2, the shape Kyverno, kube-bench's adapter and
 * policy-reporter write), read at our own boundary: the agent sends them as generic objects, and a result we cannot
 * read is reported as a parse error of its report, never guessed. Pure.
 */

/** A Kubernetes ObjectReference as reports name the resource a result is about (or the report's scope). */
export const PolicyReportObjectRefSchema = z.object({
  apiVersion: z.string().max(253).optional(),
  // Optional in the upstream type: a reference without them names nothing, and the report's scope stands in.
  kind: z.string().max(63).optional(),
  name: z.string().max(253).optional(),
  namespace: z.string().max(63).optional(),
  uid: z.string().max(128).optional(),
}).loose();
export type PolicyReportObjectRef = z.infer<typeof PolicyReportObjectRefSchema>;
export type NamedObjectRef = PolicyReportObjectRef & { kind: string; name: string };
export const isNamedRef = (ref: PolicyReportObjectRef | undefined): ref is NamedObjectRef => Boolean(ref?.kind && ref.name);

export const POLICY_RESULTS = ['pass', 'fail', 'warn', 'error', 'skip'] as const;
export type PolicyResult = (typeof POLICY_RESULTS)[number];
export const POLICY_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

export const PolicyReportResultSchema = z.object({
  source: z.string().max(253).optional(),
  policy: z.string().min(1).max(512),
  rule: z.string().max(512).optional(),
  category: z.string().max(253).optional(),
  // An engine may write a severity outside the spec's list: ignored (the policy's annotation or medium decides).
  severity: z.string().max(63).optional(),
  result: z.enum(POLICY_RESULTS),
  scored: z.boolean().optional(),
  message: z.string().optional(),
  resources: z.array(PolicyReportObjectRefSchema).max(10_000).optional(),
}).loose();
export type PolicyReportResult = z.infer<typeof PolicyReportResultSchema>;

/** The report itself; its results are parsed one by one, so one bad result does not hide the others. */
export const PolicyReportSchema = z.object({
  apiVersion: z.string().regex(/^wgpolicyk8s\.io\//, 'expected a wgpolicyk8s.io apiVersion'),
  kind: z.enum(['PolicyReport', 'ClusterPolicyReport']),
  metadata: z.object({ name: z.string().min(1), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }).loose(),
  scope: PolicyReportObjectRefSchema.optional(),
  results: z.array(z.unknown()).optional(),
}).loose();
export type PolicyReport = z.infer<typeof PolicyReportSchema>;

export const IMPORTED_CONTROL_PREFIX = 'policyreport.';
/** Longest control id we write: the findings filter takes ids up to 200 characters. */
const MAX_CONTROL_ID = 200;
/** Engines whose name we know how to spell; any other source shows as written (lowercased in the id). */
const SOURCE_LABELS: Record<string, string> = {
  kyverno: 'Kyverno', gatekeeper: 'Gatekeeper', 'kube-bench': 'kube-bench', falco: 'Falco', kubewarden: 'Kubewarden',
  'trivy-vulnerability': 'Trivy', trivy: 'Trivy', 'kube-hunter': 'kube-hunter', jspolicy: 'jsPolicy',
};

/** `Kyverno` → `kyverno`, `Trivy Vulnerability` → `trivy-vulnerability`: lowercase, no dots (the id's separator). */
export function sourceKey(source: string): string {
  const key = source.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return key || 'unknown';
}

export function sourceLabel(key: string): string {
  return SOURCE_LABELS[key] ?? key;
}

/**
 * `policyreport.<source>.<policy>`: one control per engine and policy, stable across snapshots. An id past 200
 * characters is cut (Kubernetes names reach 253); the fingerprint holds the full policy name, so findings stay apart.
 */
export function importedControlId(source: string, policy: string): string {
  const id = `${IMPORTED_CONTROL_PREFIX}${sourceKey(source)}.${policy.replace(/[^A-Za-z0-9._:/-]+/g, '-')}`;
  return id.length > MAX_CONTROL_ID ? id.slice(0, MAX_CONTROL_ID) : id;
}

export function isImportedControlId(controlId: string): boolean {
  return controlId.startsWith(IMPORTED_CONTROL_PREFIX);
}

/** The engine and policy an imported control id names, or null for any other control. */
export function parseImportedControlId(controlId: string): { source: string; sourceLabel: string; policy: string } | null {
  if (!isImportedControlId(controlId)) return null;
  const rest = controlId.slice(IMPORTED_CONTROL_PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return null;
  const source = rest.slice(0, dot);
  return { source, sourceLabel: sourceLabel(source), policy: rest.slice(dot + 1) };
}

/** "Kyverno policy require-labels" (and " / rule check-team" when the rule is known): the title lists show. */
export function importedControlTitle(controlId: string, rule?: string | null): string | null {
  const parsed = parseImportedControlId(controlId);
  if (!parsed) return null;
  return `${parsed.sourceLabel} policy ${parsed.policy}${rule ? ` / rule ${rule}` : ''}`;
}

/** The result's severity in our vocabulary: `info` is the lowest we have; anything else is not a severity. */
export function severityFromReport(value: string | undefined): Severity | null {
  switch (value?.toLowerCase()) {
    case 'critical': return 'critical';
    case 'high': return 'high';
    case 'medium': return 'medium';
    case 'low':
    case 'info': return 'low';
    default: return null;
  }
}

export const MAX_IMPORTED_MESSAGE = 500;
const REDACTED = '[redacted]';
// `password=…`, `token: …`, `"apiKey": "…"` inside a sentence: the name says the value is a credential.
const NAMED_VALUE = /(["']?)([A-Za-z0-9_.-]{1,128})\1(\s*[=:]\s*)(["']?)([^\s"',;]{1,4096})\4/g;

/**
 * An engine's message as we store it: credential-like words and values named like credentials replaced with
 * [redacted] (an engine may quote the offending value), whitespace folded, cut to MAX_IMPORTED_MESSAGE characters.
 * A credential format that spans words (a PEM block) withholds the whole message. Cut before scanning, so an
 * oversized message costs no more than a short one.
 */
export function importedMessage(message: string | undefined): string {
  const folded = (message ?? '').slice(0, MAX_IMPORTED_MESSAGE * 4).replace(/\s+/g, ' ').trim();
  const named = folded.replace(NAMED_VALUE, (whole, q1: string, name: string, sep: string, q2: string, value: string) =>
    isSensitiveName(name) && !/^(?:true|false|required|missing|set|empty|null|none)$/i.test(value) ? `${q1}${name}${q1}${sep}${q2}${REDACTED}${q2}` : whole);
  // Words shorter than this are neither a known token format nor random enough to judge (isHighEntropyToken: 20).
  const words = named.split(' ').map((word) => {
    const bare = word.replace(/^["'`([{<]+|["'`)\]}>.,;:!?]+$/g, '');
    return bare.length >= 16 && detectSecretValue(bare) ? word.replace(bare, REDACTED) : word;
  }).join(' ');
  const reason = detectSecretPattern(words);
  if (reason) return `[message withheld: it looked like it held a credential (${reason})]`;
  return words.length > MAX_IMPORTED_MESSAGE ? `${words.slice(0, MAX_IMPORTED_MESSAGE - 1)}…` : words;
}
