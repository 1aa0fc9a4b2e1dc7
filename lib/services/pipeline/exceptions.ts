import type { EngineFinding } from '../../analysis/engine';
import type { TenantDb } from '../../platform/db/tenant';

export type ActiveException = {
  id: string;
  controlId: string;
  scope: 'RESOURCE' | 'NAMESPACE' | 'CLUSTER';
  clusterId: string | null;
  namespace: string | null;
  resourceKind: string | null;
  resourceName: string | null;
};

export async function activeExceptions(db: TenantDb, clusterId: string, now: Date): Promise<ActiveException[]> {
  return db.findingException.findMany({
    // A namespace- or cluster-wide exception waiting for its second approver suppresses nothing.
    where: { status: 'APPROVED', expiresAt: { gt: now }, OR: [{ clusterId }, { clusterId: null }] },
    select: { id: true, controlId: true, scope: true, clusterId: true, namespace: true, resourceKind: true, resourceName: true },
  });
}

/** Does a scoped exception (this control on this resource / namespace / cluster) cover the finding? */
export function exceptionMatches(exception: ActiveException, finding: Pick<EngineFinding, 'controlId' | 'resource'>): boolean {
  if (exception.controlId !== finding.controlId) return false;
  switch (exception.scope) {
    case 'CLUSTER':
      return true;
    case 'NAMESPACE':
      return finding.resource.namespace === exception.namespace;
    case 'RESOURCE':
      return finding.resource.namespace === exception.namespace
        && finding.resource.kind === exception.resourceKind
        && finding.resource.name === exception.resourceName;
  }
}

export function exceptedFingerprints(findings: EngineFinding[], exceptions: ActiveException[]): { fingerprints: Set<string>; matchedExceptionIds: string[] } {
  const fingerprints = new Set<string>();
  const matched = new Set<string>();
  if (exceptions.length === 0) return { fingerprints, matchedExceptionIds: [] };
  const byControl = new Map<string, ActiveException[]>();
  for (const exception of exceptions) byControl.set(exception.controlId, [...(byControl.get(exception.controlId) ?? []), exception]);
  for (const finding of findings) {
    for (const exception of byControl.get(finding.controlId) ?? []) {
      if (exceptionMatches(exception, finding)) { fingerprints.add(finding.fingerprint); matched.add(exception.id); break; }
    }
  }
  return { fingerprints, matchedExceptionIds: [...matched] };
}
