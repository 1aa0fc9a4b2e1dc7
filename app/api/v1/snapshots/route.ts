import { route, json } from '@/lib/web/respond';
import { admitAgentIntake } from '@/lib/services/ingest/org-quota';
import { ingestSnapshot } from '@/lib/services/ingest/ingest-snapshot';
import { ingestUnchangedNotice } from '@/lib/services/ingest/ingest-unchanged';
import { UNCHANGED_NOTICE_CONTENT_TYPE } from '@/lib/analysis/snapshot/unchanged-notice';

export const dynamic = 'force-dynamic';

/**
 * Agent snapshot intake: 202 {snapshotId, status} for a new snapshot, 200 with the first id for a repeat. The body
 * is the snapshot (application/json, gzip or not) or, from an agent whose cluster did not change, a notice naming
 * the snapshot it repeats (application/vnd.bulwark.unchanged+json; 409 when the server cannot use it).
 */
export const POST = route(async (request: Request) => {
  // Cheap refusals first, before a byte of the body is read (and before the database where possible, see
  // admitAgentIntake): the token's rate, its organization's rate and uploads in progress, all 429 with Retry-After.
  const isNotice = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === UNCHANGED_NOTICE_CONTENT_TYPE;
  const result = await admitAgentIntake(request.headers.get('authorization'), (ctx) => (isNotice ? ingestUnchangedNotice : ingestSnapshot)(ctx, {
    body: request.body,
    contentEncoding: request.headers.get('content-encoding'),
    contentType: request.headers.get('content-type'),
    idempotencyKey: request.headers.get('idempotency-key'),
  }));
  return json(
    { snapshotId: result.snapshotId, status: result.status, duplicate: result.duplicate },
    result.duplicate ? 200 : 202,
    { Location: `/api/v1/snapshots/${result.snapshotId}` },
  );
});
