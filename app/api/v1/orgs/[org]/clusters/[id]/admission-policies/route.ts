import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { clusterAdmissionPolicies } from '@/lib/services/pipeline/admission-policies';

export const dynamic = 'force-dynamic';

/**
 * The cluster's own policies as its current evaluation found them (issue 23): ValidatingAdmissionPolicies per binding
 * (actions, failurePolicy, objects evaluated, violations and active findings, or "not evaluable" with the reason),
 * Kyverno policies and Gatekeeper constraints as metadata.
 */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => json(await clusterAdmissionPolicies(ctx, params.id)));
