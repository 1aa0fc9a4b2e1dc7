import { route, json } from '@/lib/web/respond';
import { resolveAgentToken } from '@/lib/ingest/agent-auth';
import { consumeRateLimit } from '@/lib/ingest/rate-limit';
import { ingestSnapshot } from '@/lib/ingest/ingest-snapshot';
import { env } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Agent snapshot intake: 202 {snapshotId, status} for a new snapshot, 200 with the first id for a repeat. */
export const POST = route(async (request: Request) => {
  const ctx = await resolveAgentToken(request.headers.get('authorization'));
  if (ctx.actor.kind !== 'agent') throw new Error('unreachable');
  await consumeRateLimit('ingest', ctx.actor.tokenId, env().INGEST_RATE_LIMIT_PER_MINUTE);
  const result = await ingestSnapshot(ctx, {
    body: request.body,
    contentEncoding: request.headers.get('content-encoding'),
    contentType: request.headers.get('content-type'),
    idempotencyKey: request.headers.get('idempotency-key'),
  });
  return json(
    { snapshotId: result.snapshotId, status: result.status, duplicate: result.duplicate },
    result.duplicate ? 200 : 202,
    { Location: `/api/v1/snapshots/${result.snapshotId}` },
  );
});
