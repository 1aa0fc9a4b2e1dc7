import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { createCustomControl, getCustomControl, listCustomControls } from '@/lib/services/policies/custom-controls';

export const dynamic = 'force-dynamic';

/** The organization's custom controls (issue 23), anyone in the organization. */
export const GET = orgRoute<{ org: string }>({}, async ({ ctx }) => json({ items: await listCustomControls(ctx) }));

/**
 * Creates a custom control, disabled, as version 1 (owners and admins). The rule is compiled on save: a 400 names
 * each failing expression's field (`rule.validations.0.expression`) with line and column.
 */
export const POST = orgRoute<{ org: string }, undefined, unknown>({ body: z.unknown() }, async ({ ctx, body }) => {
  const created = await createCustomControl(ctx, body);
  return json({ customControl: await getCustomControl(ctx, created.id) }, 201);
});
