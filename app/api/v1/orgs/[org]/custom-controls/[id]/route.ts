import { z } from 'zod';
import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { getCustomControl, setCustomControlEnabled, updateCustomControl } from '@/lib/services/policies/custom-controls';
import { parseInput } from '@/lib/platform/input';

export const dynamic = 'force-dynamic';

type Params = { org: string; id: string };

/** One custom control: current content and every version (newest first) with what changed. */
export const GET = orgRoute<Params>({}, async ({ ctx, params }) => json({ customControl: await getCustomControl(ctx, params.id) }));

const EnabledBody = z.object({ enabled: z.boolean() }).strict();

/**
 * `{ enabled }` enables or disables the control (disabling resolves its findings: "control disabled"); any other
 * body is the whole new content (title, severity, rationale, remediation, rule, requirementIds) and becomes a new
 * version when it differs. Enabling, disabling, and a new version of an enabled control queue a re-evaluation of
 * each cluster's latest snapshot (`reevaluatingClusters`). The control is looked up first: another organization's id is 404 whatever the body.
 */
export const PATCH = orgRoute<Params, undefined, unknown>({ body: z.unknown() }, async ({ ctx, params, body }) => {
  await getCustomControl(ctx, params.id);
  const enabled = EnabledBody.safeParse(body);
  if (enabled.success) {
    const result = await setCustomControlEnabled(ctx, { customControlId: params.id, enabled: parseInput(EnabledBody, body).enabled });
    return json({ customControl: await getCustomControl(ctx, params.id), resolvedFindings: result.resolved, reevaluatingClusters: result.reevaluating });
  }
  const content = typeof body === 'object' && body !== null ? body : {};
  const saved = await updateCustomControl(ctx, { ...content, customControlId: params.id });
  return json({ customControl: await getCustomControl(ctx, params.id), reevaluatingClusters: saved.reevaluating });
});
