import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getSoa } from '@/lib/services/soa/read-soa';
import { approveSoaVersion } from '@/lib/services/soa/edit-soa';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import { frameworkFromParam } from '../framework-param';

export const dynamic = 'force-dynamic';

const BodySchema = z.object({ note: z.string().nullable().optional() });

/** The approved versions, newest first. */
export const GET = orgRoute<{ org: string; framework: string }>({}, async ({ ctx, params }) => json({ versions: (await getSoa(ctx, frameworkFromParam(params.framework, (await getCisBenchmark(ctx)).version))).versions }));

/** Approves the draft as the next version (409 when nothing changed since the latest). */
export const POST = orgRoute<{ org: string; framework: string }, undefined, z.infer<typeof BodySchema>>({ body: BodySchema }, async ({ ctx, params, body }) =>
  json(await approveSoaVersion(ctx, { frameworkId: frameworkFromParam(params.framework, (await getCisBenchmark(ctx)).version), note: body.note ?? null }), 201));
