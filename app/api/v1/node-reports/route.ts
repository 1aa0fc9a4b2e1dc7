import { route, json } from '@/lib/web/respond';
import { admitAgentIntake } from '@/lib/services/ingest/org-quota';
import { ingestNodeReport } from '@/lib/services/ingest/ingest-node-report';

export const dynamic = 'force-dynamic';

/**
 * Node report intake (issue 21): the node collector's report of one node (bulwark.dev/node-report/v1, gzip or plain
 * JSON), with an agent token of the cluster. 202 when the report is new or changed (the cluster is re-evaluated with
 * it), 200 when it repeats the node's last one. The same token and organization rate limits and upload slots as
 * snapshots (admitAgentIntake); validation runs in the intake pool's threads.
 */
export const POST = route(async (request: Request) => {
  const result = await admitAgentIntake(request.headers.get('authorization'), (ctx) => ingestNodeReport(ctx, {
    body: request.body,
    contentEncoding: request.headers.get('content-encoding'),
    contentType: request.headers.get('content-type'),
    idempotencyKey: request.headers.get('idempotency-key'),
  }));
  return json(result, result.status === 'stored' ? 202 : 200);
});
