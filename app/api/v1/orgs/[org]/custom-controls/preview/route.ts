import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { previewRule } from '@/lib/services/policies/preview';

export const dynamic = 'force-dynamic';

/** Runs a draft rule on the latest snapshot of the chosen clusters and lists the objects that fail; stores nothing. */
export const POST = orgRoute<{ org: string }, undefined, unknown>({ body: z.unknown() }, async ({ ctx, body }) => json({ clusters: await previewRule(ctx, body) }));
