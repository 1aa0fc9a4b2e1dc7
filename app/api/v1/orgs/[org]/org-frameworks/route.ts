import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { createOrgFramework, getOrgFramework, listOrgFrameworks } from '@/lib/services/policies/org-frameworks';

export const dynamic = 'force-dynamic';

/** The organization's own frameworks, each with its score and requirement results. */
export const GET = orgRoute<{ org: string }>({}, async ({ ctx }) => json({ items: await listOrgFrameworks(ctx) }));

/** Creates a framework: a key, a name and its requirements (owners and admins). */
export const POST = orgRoute<{ org: string }, undefined, unknown>({ body: z.unknown() }, async ({ ctx, body }) => {
  const created = await createOrgFramework(ctx, body);
  return json({ framework: await getOrgFramework(ctx, created.id) }, 201);
});
