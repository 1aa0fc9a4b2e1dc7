import { AppError } from '@/lib/platform/errors';
import { receiveJiraWebhook } from '@/lib/services/jira/sync';
import { json, route } from '@/lib/web/respond';

export const dynamic = 'force-dynamic';

/** A Jira webhook event is a few kilobytes; anything past this is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * POST /api/jira/webhook/{connectionId}?secret=… (public: Jira calls it). The organization's Jira connection is
 * named in the path; the shared secret (shown once when Jira was connected) in `?secret=` or the
 * `X-Bulwark-Jira-Secret` header, compared in constant time. Unknown connection: 404; wrong secret: 401. Updates
 * the status of the linked issue, never the finding or ticket.
 */
export const POST = route(async (request: Request, context: { params: Promise<{ connectionId: string }> }) => {
  const { connectionId } = await context.params;
  const secret = new URL(request.url).searchParams.get('secret') ?? request.headers.get('x-bulwark-jira-secret');
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw new AppError('too_large', 'A Jira webhook event is smaller than this');
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError('too_large', 'A Jira webhook event is smaller than this');
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = null; }
  return json(await receiveJiraWebhook(connectionId, secret, body));
});
