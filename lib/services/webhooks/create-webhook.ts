import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { CreateWebhookSchema, type CreateWebhookInput } from './schemas';
import { newWebhookSecret } from './signature';
import { parseInput } from '@/lib/platform/input';

/**
 * Only the origin goes to the append-only audit log: a Slack incoming-webhook URL carries its credential in
 * the path, and the log can never forget it.
 */
export function urlForAudit(url: string): string {
  return new URL(url).origin;
}

/** Creates a webhook and returns its signing secret, this once; reads never include it again. */
export async function createWebhook(ctx: OrgContext, input: CreateWebhookInput) {
  authorize(ctx, 'webhook.manage');
  const data = parseInput(CreateWebhookSchema, input);
  const secret = newWebhookSecret();
  return dbFor(ctx).$transaction(async (tx) => {
    const webhook = await tx.webhook.create({ data: { organizationId: ctx.organizationId, url: data.url, events: data.events, format: data.format, secret } });
    await writeAudit(tx, ctx, { action: 'webhook.created', targetType: 'Webhook', targetId: webhook.id, after: { url: urlForAudit(webhook.url), events: webhook.events, format: webhook.format } });
    return { webhook, secret };
  });
}
