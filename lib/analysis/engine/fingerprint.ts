import * as crypto from 'node:crypto';
import { apiGroupOf, type ResourceRef } from '@/lib/analysis/model/kube';

// crypto.hash (one-shot, about twice as fast) exists from Node 20.12; package.json allows 20.9.
const sha256Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** Whether JSON.stringify would escape a character of the text: a quote, a backslash, a control character or a surrogate. */
function needsEscape(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Surrogates are checked as a range: a valid pair is written as is, but the rare text holding one takes the slow path.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/**
 * sha256 hex of the stable inputs of a finding: control id, the resource's group/kind/namespace/name and the
 * offending item (container and field, subject, key). Never the uid (a re-created object is the same problem)
 * nor any timestamp (the same problem in the next snapshot must keep its history).
 */
export function fingerprintOf(controlId: string, resource: ResourceRef, item: string): string {
  return (
    fingerprintOfAscii(controlId, resource, item) ??
    sha256Hex(fingerprintInput([controlId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name, item]))
  );
}

/**
 * The hashed text: the parts as a JSON array, which keeps them unambiguous ("a" + "bc" never hashes like "ab" +
 * "c"). Stored fingerprints depend on this exact text. Parts that need no escaping (nearly all: names are DNS
 * labels) are joined directly, which is what JSON.stringify would write without building an array per finding.
 */
export function fingerprintInput(parts: readonly string[]): string {
  let text = '["';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (needsEscape(part)) return JSON.stringify(parts);
    text += i === 0 ? part : `","${part}`;
  }
  return `${text}"]`;
}

// The engine fingerprints every finding (160,000 at L), and building the JSON text as a string cost more than the
// hash: a dozen concatenations per finding, then a flat copy and its UTF-8 encoding inside crypto. For printable
// ASCII, which JSON writes unescaped and UTF-8 as one byte each, the same bytes are written into one reused buffer.
const SCRATCH = new Uint8Array(4096);
/** A view of the first n bytes of SCRATCH per length, made once: the hash reads exactly the text's bytes. */
const VIEWS: Uint8Array[] = [];
const QUOTE = 0x22;
const COMMA = 0x2c;

/** Writes text from `at` when every character is printable ASCII other than `"` and `\`; -1 otherwise. */
function writeAscii(text: string, end: number, at: number): number {
  if (at + end + 3 > SCRATCH.length) return -1;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) return -1;
    SCRATCH[at++] = code;
  }
  // The separator after it: ","
  SCRATCH[at++] = QUOTE;
  SCRATCH[at++] = COMMA;
  SCRATCH[at++] = QUOTE;
  return at;
}

/** fingerprintOf's hash from bytes written into SCRATCH, or undefined when a part is not printable ASCII. */
function fingerprintOfAscii(controlId: string, resource: ResourceRef, item: string): string | undefined {
  SCRATCH[0] = 0x5b; // [
  SCRATCH[1] = QUOTE;
  const { apiVersion } = resource;
  const slash = apiVersion.indexOf('/');
  let at = writeAscii(controlId, controlId.length, 2);
  if (at >= 0) at = writeAscii(apiVersion, slash === -1 ? 0 : slash, at);
  if (at >= 0) at = writeAscii(resource.kind, resource.kind.length, at);
  const namespace = resource.namespace ?? '';
  if (at >= 0) at = writeAscii(namespace, namespace.length, at);
  if (at >= 0) at = writeAscii(resource.name, resource.name.length, at);
  if (at >= 0) at = writeAscii(item, item.length, at);
  if (at < 0) return undefined;
  // The last part ends with `"` and then `]`, not with a separator.
  at -= 2;
  SCRATCH[at++] = 0x5d; // ]
  const view = (VIEWS[at] ??= SCRATCH.subarray(0, at));
  return sha256Hex(view);
}
