import { route } from '@/lib/web/respond';
import { redeemInstallLink } from '@/lib/services/clusters/install-links';

export const dynamic = 'force-dynamic';

/**
 * `kubectl apply -f <this URL>`: the agent's manifests with a new agent token, once. No session and no API
 * token: the single-use link is the credential. Later fetches get 410, unknown links 404.
 */
export const GET = route(async (_request: Request, context: { params: Promise<{ org: string; token: string }> }) => {
  const { org, token } = await context.params;
  const { yaml } = await redeemInstallLink(org, token);
  return new Response(yaml, { headers: { 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
});
