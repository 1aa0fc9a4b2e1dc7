import * as crypto from 'node:crypto';
import { apiGroupOf, type ResourceRef } from '@/lib/analysis/model/kube';

// crypto.hash (one-shot, about twice as fast) exists from Node 20.12; package.json allows 20.9.
const sha256Hex: (data: string) => string =
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
  return sha256Hex(fingerprintInput([controlId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name, item]));
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
