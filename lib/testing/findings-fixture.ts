import { systemContext } from '../platform/auth/context';
import { dbFor } from '../platform/db/tenant';
import { evaluateStoredSnapshot } from '../services/pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createOrg } from './factories';
import { container, deployment, namespace, networkPolicy, serviceAccount, snapshotOf } from './k8s';
import { pushSnapshot } from './push';

// Tests only: an organization with real findings, made by pushing snapshots through ingest and evaluation.

const SAFE = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } };

/** A Deployment in `ns` whose container runs privileged (a CRITICAL finding) or not. */
export function app(name: string, privileged = true, ns = 'shop') {
  return deployment({ namespace: ns, name }, { containers: [container({ name: 'app', securityContext: { ...SAFE, privileged } })] });
}

export function baseObjects(ns = 'shop') {
  return [namespace(ns), networkPolicy({ namespace: ns, name: 'default-deny' }), serviceAccount({ namespace: ns, name: 'app' })];
}

export type Fixture = Awaited<ReturnType<typeof orgWithFindings>>;

/**
 * An organization with a cluster "prod" evaluated once (day 1) with privileged Deployments `apps` in "shop".
 * `evaluate(day, objects)` pushes and evaluates a later snapshot of the same cluster.
 */
export async function orgWithFindings(apps: string[] = ['web', 'api'], clusterName = 'prod') {
  const org = await createOrg();
  const { cluster, token } = await createClusterWithToken(org, clusterName);
  const db = dbFor({ organizationId: org.id });
  async function evaluate(day: number, objects: Parameters<typeof snapshotOf>[0]) {
    const at = `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`;
    const pushed = await pushSnapshot(token, snapshotOf(objects, { collectedAt: at, clusterUid: `uid-${cluster.id}` }));
    return evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(at));
  }
  await evaluate(1, [...baseObjects(), ...apps.map((name) => app(name))]);
  const findings = await db.finding.findMany({ where: { controlId: 'workload.privileged-container' }, orderBy: { resourceName: 'asc' } });
  const byName = (name: string) => {
    const found = findings.find((finding) => finding.resourceName === name);
    if (!found) throw new Error(`no privileged-container finding for ${name}`);
    return found;
  };
  return { org, cluster, token, db, evaluate, findings, byName };
}

/** Everything a refused request must leave untouched, to compare before and after. */
export async function workflowState(organizationId: string) {
  const db = dbFor({ organizationId });
  const [findings, events, comments, audit, notifications, acceptances, exceptions, tickets, domainEvents] = await Promise.all([
    db.finding.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, assigneeUserId: true, assigneeTeamId: true, dueAt: true, updatedAt: true, resolutionReason: true } }),
    db.findingEvent.count(), db.comment.count(), db.auditLog.count(), db.notification.count(),
    db.riskAcceptance.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, decidedById: true } }),
    db.findingException.count(), db.ticket.count(), db.domainEvent.count(),
  ]);
  return { findings, events, comments, audit, notifications, acceptances, exceptions, tickets, domainEvents };
}
