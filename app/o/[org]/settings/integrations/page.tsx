import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listWebhooks } from '@/lib/services/webhooks/manage-webhooks';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { buttonStyles } from '@/app/_components/button-styles';
import { WebhookForm } from './_components/webhook-form';
import { DeliveryStatusBadge } from './_components/delivery-status';
import { EVENT_LABELS, FORMAT_LABELS } from './_components/webhook-labels';

export const metadata: Metadata = { title: 'Integrations' };
export const dynamic = 'force-dynamic';

/** Settings → Integrations: the organization's webhooks (JSON or Slack) and a form for a new one. Owners and admins. */
export default async function IntegrationsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'webhook.manage')) {
    return <Card title="Integrations"><p className="text-sm text-slate-600">Owners and admins set up this organization&apos;s webhooks and Slack messages.</p></Card>;
  }
  const webhooks = await listWebhooks(ctx);
  const now = new Date();
  return (
    <div className="grid gap-4">
      <Card title={`Webhooks (${webhooks.length})`}>
        {webhooks.length === 0 ? <p className="text-sm text-slate-600">No webhooks yet. Create one below to send events to your systems or to a Slack channel.</p> : (
          <ul className="divide-y divide-slate-100">
            {webhooks.map((webhook) => (
              <li key={webhook.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div className="min-w-0 space-y-1">
                  <p className="break-all font-mono text-sm text-slate-900">{new URL(webhook.url).origin}<span className="text-slate-600">/…</span></p>
                  <p className="text-xs text-slate-600">
                    {FORMAT_LABELS[webhook.format]} · {webhook.enabled ? 'enabled' : <strong className="text-slate-800">disabled</strong>} · {webhook.events.map((e) => EVENT_LABELS[e] ?? e).join(', ')}
                  </p>
                  <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    {webhook.lastDelivery
                      ? <>Last delivery <DeliveryStatusBadge status={webhook.lastDelivery.status} /> {webhook.lastDelivery.responseStatus !== null && `HTTP ${webhook.lastDelivery.responseStatus}`} <TimeAgo date={webhook.lastDelivery.createdAt} now={now} /></>
                      : 'No deliveries yet'}
                  </p>
                </div>
                <Link href={`/o/${org}/settings/integrations/webhooks/${webhook.id}`} className={buttonStyles.secondary} aria-label={`Manage the webhook to ${new URL(webhook.url).host}`}>Manage</Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Add a webhook">
        <p className="mb-3 text-sm text-slate-600">
          JSON deliveries carry Standard Webhooks headers (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>) signed with a secret you see once.
          For Slack, create an incoming webhook in Slack and paste its URL here with the Slack format.
        </p>
        <WebhookForm org={org} />
      </Card>
      <Card title="Jira" action={<Link href={`/o/${org}/settings/integrations/jira`} className={buttonStyles.secondary}>Set up Jira</Link>}>
        <p className="text-sm text-slate-600">Create Jira issues from findings and tickets, and see their Jira status here.</p>
      </Card>
    </div>
  );
}
