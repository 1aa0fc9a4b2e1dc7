import { hash } from 'node:crypto';
import { apiGroupOf, type ResourceRef } from './kube';

/**
 * sha256 hex of the stable inputs of a finding: control id, the resource's group/kind/namespace/name and the
 * offending item (container and field, subject, key). Never the uid (a re-created object is the same problem)
 * nor any timestamp (the same problem in the next snapshot must keep its history).
 */
export function fingerprintOf(controlId: string, resource: ResourceRef, item: string): string {
  // JSON keeps the parts unambiguous ("a" + "bc" never hashes like "ab" + "c").
  const parts = JSON.stringify([controlId, apiGroupOf(resource.apiVersion), resource.kind, resource.namespace ?? '', resource.name, item]);
  return hash('sha256', parts, 'hex');
}
