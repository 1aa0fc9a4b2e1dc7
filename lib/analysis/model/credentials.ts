import { detectSecretPattern } from '@/lib/analysis/snapshot/detect';
import { findInArguments, findInHeaders, LAST_APPLIED_ANNOTATION, parseRedactedMarker, type PathSegment, type SensitiveValue } from '@/lib/analysis/snapshot/redact';
import { RedactedValueSchema, type RedactionReason } from '@/lib/analysis/snapshot/schema';
import { isRecord } from './json';
import type { Container } from './workload-types';

/**
 * Credentials outside env values and Secrets, found with the agent's own detectors (snapshot/detect.ts,
 * redact.ts). A live snapshot holds the agent's redactions (a RedactedValue, or a `bulwark-redacted:` marker in
 * a string); a snapshot built some other way may still hold the raw value, which the same detectors catch here.
 * A hit keeps where (a field, a flag or header name, a key) and why (the detector's reason), never the value.
 */
export type CredentialHit = {
  /** Field below the container or object: `args[3]`, `livenessProbe.httpGet.httpHeaders[0].value`. */
  field: string;
  reason: RedactionReason;
  length: number;
  /** The readable part that names it: `--db-password=`, a header's name, an annotation's key. Never the value. */
  label?: string;
};

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
/** Where HTTP headers sit below a container: the probes', then the lifecycle hooks' (findSensitiveValues' order). */
const HEADER_PLACES: readonly (readonly string[])[] = [
  ...PROBES.map((probe) => [probe, 'httpGet', 'httpHeaders']),
  ...['postStart', 'preStop'].map((hook) => ['lifecycle', hook, 'httpGet', 'httpHeaders']),
];

function getAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof segment === 'number' ? !Array.isArray(current) : !isRecord(current)) return undefined;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return current;
}

/** The raw container a typed one was read from, when its fields belong to the workload's own object (containers on Pods below a workload are not in it). */
export function rawContainerOf(container: Container): Readonly<Record<string, unknown>> | undefined {
  return container.pod === undefined ? container.source : undefined;
}

function hasItems(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function formatPath(path: readonly PathSegment[]): string {
  return path.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');
}

// The agent's own finder, on a one-container pod: raw values it would have redacted, by path below the container.
// Only the fields of that kind go in, so the env values (credential-in-env's) are not searched again.
function rawHits(container: Readonly<Record<string, unknown>>, where: 'argument' | 'http-header'): { field: string; reason: RedactionReason; path: PathSegment[] }[] {
  // The finders findSensitiveValues runs on each container, called directly on this one (same order, same paths
  // below the container) instead of on a one-container Pod built for it: the engine asks this of every container.
  const found: SensitiveValue[] = [];
  if (where === 'argument') {
    findInArguments(container.command, ['command'], found);
    findInArguments(container.args, ['args'], found);
  } else {
    for (const base of HEADER_PLACES) findInHeaders(getAt(container, base), base, found);
  }
  return found.map((hit) => ({ field: formatPath(hit.path), reason: hit.reason, path: hit.path }));
}

export function credentialsInArguments(container: Readonly<Record<string, unknown>>): CredentialHit[] {
  if (!hasItems(container.command) && !hasItems(container.args)) return [];
  const hits: CredentialHit[] = [];
  const seen = new Set<string>();
  for (const list of ['command', 'args'] as const) {
    const args = container[list];
    if (!Array.isArray(args)) continue;
    args.forEach((arg, index) => {
      if (typeof arg !== 'string') return;
      const marker = parseRedactedMarker(arg);
      if (!marker) return;
      const field = `${list}[${index}]`;
      seen.add(field);
      hits.push({ field, reason: marker.reason, length: marker.length, ...(/^--?[A-Za-z0-9][A-Za-z0-9_.-]*=$/.test(marker.prefix) ? { label: marker.prefix } : {}) });
    });
  }
  for (const hit of rawHits(container, 'argument')) {
    if (seen.has(hit.field)) continue;
    const arg = getAt(container, hit.path);
    const flag = typeof arg === 'string' ? /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*=)/.exec(arg)?.[1] : undefined;
    const length = typeof arg === 'string' ? arg.length - (flag?.length ?? 0) : 0;
    hits.push({ field: hit.field, reason: hit.reason, length, ...(flag ? { label: flag } : {}) });
  }
  return hits;
}

/** Credentials in the httpGet headers of a container's probes and lifecycle hooks. */
export function credentialsInHeaders(container: Readonly<Record<string, unknown>>): CredentialHit[] {
  // Most containers have no probe or hook with HTTP headers: say so before building anything.
  if (!HEADER_PLACES.some((base) => hasItems(getAt(container, base)))) return [];
  const hits: CredentialHit[] = [];
  const seen = new Set<string>();
  for (const base of HEADER_PLACES) {
    const headers = getAt(container, base);
    if (!Array.isArray(headers)) continue;
    headers.forEach((header, index) => {
      if (!isRecord(header)) return;
      const redacted = RedactedValueSchema.safeParse(header.value);
      if (!redacted.success) return;
      const field = formatPath([...base, index, 'value']);
      seen.add(field);
      hits.push({ field, reason: redacted.data.reason, length: redacted.data.length, ...(typeof header.name === 'string' ? { label: header.name } : {}) });
    });
  }
  for (const hit of rawHits(container, 'http-header')) {
    if (seen.has(hit.field)) continue;
    const header = getAt(container, hit.path.slice(0, -1));
    const value = getAt(container, hit.path);
    hits.push({
      field: hit.field,
      reason: hit.reason,
      length: typeof value === 'string' ? value.length : 0,
      ...(isRecord(header) && typeof header.name === 'string' ? { label: header.name } : {}),
    });
  }
  return hits;
}

/**
 * Credentials in annotations and labels. Annotations: the agent's markers, and values the agent's annotation
 * detector (content patterns) would redact. Labels are not redacted by the agent, since selectors match them
 * and a changed value would change what a Service or NetworkPolicy selects; they are searched here the same way.
 */
export function credentialsInMetadata(metadata: unknown, base: string): CredentialHit[] {
  if (!isRecord(metadata)) return [];
  const hits: CredentialHit[] = [];
  for (const field of ['annotations', 'labels'] as const) {
    const map = metadata[field];
    if (!isRecord(map)) continue;
    // Keys, not entries, and the path only for a hit: every object's labels and annotations pass here.
    for (const key of Object.keys(map)) {
      const value = map[key];
      if (typeof value !== 'string' || key === LAST_APPLIED_ANNOTATION) continue;
      const marker = parseRedactedMarker(value);
      if (marker) {
        hits.push({ field: fieldAt(base, field, key), reason: marker.reason, length: marker.length, label: key });
        continue;
      }
      const reason = detectSecretPattern(value);
      if (reason) hits.push({ field: fieldAt(base, field, key), reason, length: value.length, label: key });
    }
  }
  return hits;
}

function fieldAt(base: string, field: string, key: string): string {
  return `${base}${base ? '.' : ''}${field}['${key}']`;
}

/** `(detector: jwt, 212 characters)`: what a message may say about a credential. */
export function describeHit(hit: Pick<CredentialHit, 'reason' | 'length'>): string {
  return hit.reason === 'too-long-to-scan'
    ? `too long to scan, ${hit.length} characters: redacted unsearched`
    : `detector: ${hit.reason}, ${hit.length} characters`;
}
