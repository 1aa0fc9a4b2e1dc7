import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { setSoaDecision } from '@/lib/services/soa/edit-soa';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import { frameworkFromParam } from '../../framework-param';

export const dynamic = 'force-dynamic';

// The service validates the decision (SoaDecisionSchema: a justification to exclude, 400 naming the field).
const BodySchema = z.record(z.string(), z.unknown());

/** Records the decision on one requirement in the draft: { applicability, justification?, implementationStatus?, ownerUserId? }. */
export const PUT = orgRoute<{ org: string; framework: string; requirement: string }, undefined, z.infer<typeof BodySchema>>({ body: BodySchema }, async ({ ctx, params, body }) =>
  json(await setSoaDecision(ctx, { ...body, frameworkId: frameworkFromParam(params.framework, (await getCisBenchmark(ctx)).version), requirementId: decodeURIComponent(params.requirement) } as Parameters<typeof setSoaDecision>[1])));
