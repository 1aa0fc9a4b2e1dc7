import { orgRoute } from '@/lib/web/org-route';
import { agentManifestsFor } from '@/lib/services/clusters/install-links';

export const dynamic = 'force-dynamic';

/** The agent's manifests for this cluster, without a token: the Secret is created by hand (the file says how). */
export const GET = orgRoute<{ org: string; id: string }>({}, async ({ ctx, params }) => {
  const { yaml, clusterName } = await agentManifestsFor(ctx, params.id);
  return new Response(yaml, {
    headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Content-Disposition': `attachment; filename="bulwark-agent-${clusterName}.yaml"`, 'Cache-Control': 'no-store' },
  });
});
