import * as crypto from 'node:crypto';
import { apiGroupOf, type ResourceRef } from '@/lib/analysis/model/kube';

// crypto.hash (one-shot, about twice as fast) exists from Node 20.12; package.json allows 20.9.
const sha256Hex: (data: string) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/**
 * sha256 hex of the stable inputs of a finding: control id, the resource's group/kind/namespace/name and the
 * offending item (container and field, subject, key). Never the uid (a re-created object is the same problem)
 * nor any timestamp (the same problem in the next snapshot must keep its history).
 */
export function fingerprintOf(controlId: string, resource: ResourceRef, item: string): string {
  // JSON keeps the parts unambiguous ("a" + "bc" never hashes like "ab" + "c").
  return sha256Hex(JSON.stringify([controlId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name, item]));
}
