import { route, json } from '@/lib/web/respond';
import { resolveAgentToken } from '@/lib/platform/auth/agent-token-context';
import { getSnapshotStatus } from '@/lib/services/ingest/ingest-snapshot';

export const dynamic = 'force-dynamic';

/** queued / evaluating / done / failed / superseded, for the agent that pushed it. */
export const GET = route(async (request: Request, { params }: { params: Promise<{ id: string }> }) => {
  const ctx = await resolveAgentToken(request.headers.get('authorization'));
  const { id } = await params;
  return json(await getSnapshotStatus(ctx, id));
});
