import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { isUuid } from '../../platform/input';

// The overview as the pipeline stored it (EvaluationRun.admissionPolicies, from the engine's AdmissionPolicyOverviewSet).
// Parsed again rather than trusted: a row written by an older version is shown as "not recorded", never half.
const ListStatusSchema = z.object({ status: z.enum(['collected', 'forbidden', 'disabled', 'error', 'not_collected']), message: z.string().optional() });
const OverviewSchema = z.object({
  lists: z.object({
    validatingadmissionpolicies: ListStatusSchema,
    validatingadmissionpolicybindings: ListStatusSchema,
    kyvernopolicies: ListStatusSchema,
    gatekeeperconstraints: ListStatusSchema,
  }),
  policies: z.array(
    z.object({
      name: z.string(),
      controlId: z.string(),
      failurePolicy: z.string(),
      bindings: z.array(
        z.object({
          name: z.string(),
          validationActions: z.array(z.string()),
          status: z.enum(['evaluated', 'not_evaluable']),
          reason: z.string().optional(),
          evaluated: z.number(),
          violations: z.number(),
          errors: z.number(),
          summary: z.string(),
        }),
      ),
    }),
  ),
  kyverno: z.array(z.object({ kind: z.string(), namespace: z.string().nullable(), name: z.string(), action: z.string().nullable(), background: z.boolean().nullable(), rules: z.array(z.string()), ready: z.boolean().nullable() })),
  gatekeeper: z.array(z.object({ kind: z.string(), name: z.string(), enforcementAction: z.string().nullable(), totalViolations: z.number().nullable() })),
  kyvernoNotListed: z.number(),
  gatekeeperNotListed: z.number(),
});
type Overview = z.infer<typeof OverviewSchema>;

export type ClusterAdmissionPolicies = {
  clusterId: string;
  /** The evaluation the overview comes from; null when the cluster was not evaluated yet. */
  evaluatedAt: string | null;
  /** false: not evaluated yet, or evaluated before Bulwark recorded admission policies. */
  recorded: boolean;
  lists: Overview['lists'] | null;
  policies: Array<Overview['policies'][number] & { activeFindings: number }>;
  kyverno: Overview['kyverno'];
  gatekeeper: Overview['gatekeeper'];
  kyvernoNotListed: number;
  gatekeeperNotListed: number;
};

/**
 * The cluster's own policies as its current evaluation found them (issue 23): each ValidatingAdmissionPolicy with its
 * bindings (actions, objects evaluated, violations, or "not evaluable" with the reason) and its findings still active
 * (open or acknowledged), Kyverno policies and Gatekeeper constraints as metadata. cluster.read; another
 * organization's cluster is not found.
 */
export async function clusterAdmissionPolicies(ctx: OrgContext, clusterId: string): Promise<ClusterAdmissionPolicies> {
  authorize(ctx, 'cluster.read');
  if (!isUuid(clusterId)) throw new AppError('not_found', 'Cluster not found');
  const db = dbFor(ctx);
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { currentEvaluationId: true } });
  if (!cluster) throw new AppError('not_found', 'Cluster not found');
  const empty: ClusterAdmissionPolicies = { clusterId, evaluatedAt: null, recorded: false, lists: null, policies: [], kyverno: [], gatekeeper: [], kyvernoNotListed: 0, gatekeeperNotListed: 0 };
  if (!cluster.currentEvaluationId) return empty;
  const run = await db.evaluationRun.findUnique({ where: { id: cluster.currentEvaluationId }, select: { startedAt: true, admissionPolicies: true } });
  if (!run) return empty;
  const parsed = OverviewSchema.safeParse(run.admissionPolicies);
  if (!parsed.success) return { ...empty, evaluatedAt: run.startedAt.toISOString() };
  const overview = parsed.data;
  const controlIds = overview.policies.map((p) => p.controlId);
  const counts = controlIds.length === 0
    ? []
    : await db.finding.groupBy({ by: ['controlId'], where: { clusterId, controlId: { in: controlIds }, status: { in: ['OPEN', 'ACKNOWLEDGED'] } }, _count: { _all: true } });
  const active = new Map(counts.map((row) => [row.controlId, row._count._all]));
  return {
    clusterId,
    evaluatedAt: run.startedAt.toISOString(),
    recorded: true,
    lists: overview.lists,
    policies: overview.policies.map((policy) => ({ ...policy, activeFindings: active.get(policy.controlId) ?? 0 })),
    kyverno: overview.kyverno,
    gatekeeper: overview.gatekeeper,
    kyvernoNotListed: overview.kyvernoNotListed,
    gatekeeperNotListed: overview.gatekeeperNotListed,
  };
}
