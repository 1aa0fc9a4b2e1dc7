import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { orNotFound } from '@/lib/web/not-found';
import { getWebhook } from '@/lib/services/webhooks/manage-webhooks';
import { listDeliveries } from '@/lib/services/webhooks/list-deliveries';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { buttonStyles } from '@/app/_components/button-styles';
import { ActionButton } from '../../../_components/action-button';
import { retryDeliveryAction } from '../../actions';
import { WebhookForm } from '../../_components/webhook-form';
import { WebhookControls } from '../../_components/webhook-controls';
import { DeliveryStatusBadge } from '../../_components/delivery-status';
import { EVENT_LABELS, FORMAT_LABELS } from '../../_components/webhook-labels';

export const metadata: Metadata = { title: 'Webhook' };
export const dynamic = 'force-dynamic';

/** One webhook: edit, send test, enable/disable, rotate the secret, delete, and its delivery log with "Retry now". */
export default async function WebhookPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const ctx = await requireOrgContext(org);
  const listHref = `/o/${org}/settings/integrations`;
  if (!can(ctx, 'webhook.manage')) {
    return <Card title="Webhook"><p className="text-sm text-slate-600">Owners and admins manage this organization&apos;s webhooks.</p></Card>;
  }
  const webhook = await orNotFound(getWebhook(ctx, id));
  const log = await listDeliveries(ctx, webhook.id, { limit: 50 });
  const now = new Date();
  const host = new URL(webhook.url).host;
  return (
    <div className="grid gap-4">
      <p><Link href={listHref} className={buttonStyles.link}>← All webhooks</Link></p>
      <Card title={<>Webhook to <span className="break-all font-mono">{host}</span></>}>
        <p className="mb-3 text-sm text-slate-600">{FORMAT_LABELS[webhook.format]} · {webhook.enabled ? 'enabled' : 'disabled'} · created <TimeAgo date={webhook.createdAt} now={now} /></p>
        <WebhookControls org={org} webhookId={webhook.id} enabled={webhook.enabled} listHref={listHref} />
      </Card>
      <Card title="Edit">
        <WebhookForm org={org} webhook={{ id: webhook.id, url: webhook.url, events: webhook.events, format: webhook.format }} />
      </Card>
      <Card title={`Delivery log (latest ${log.items.length})`}>
        {log.items.length === 0 ? <p className="text-sm text-slate-600">No deliveries yet. “Send test” sends one now.</p> : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Deliveries of this webhook, newest first</caption>
              <thead className="text-xs uppercase text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-4">Time</th>
                  <th scope="col" className="pr-4">Event</th>
                  <th scope="col" className="pr-4">Status</th>
                  <th scope="col" className="pr-4">HTTP</th>
                  <th scope="col" className="hidden pr-4 sm:table-cell">Duration</th>
                  <th scope="col" className="hidden pr-4 sm:table-cell">Attempts</th>
                  <th scope="col" className="hidden pr-4 md:table-cell">Response</th>
                  <th scope="col"><span className="sr-only">Action</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {log.items.map((delivery) => (
                  <tr key={delivery.id} data-delivery-id={delivery.id}>
                    <td className="py-2 pr-4 whitespace-nowrap"><TimeAgo date={delivery.lastAttemptAt ?? delivery.createdAt} now={now} /></td>
                    <td className="pr-4">{EVENT_LABELS[delivery.eventType] ?? delivery.eventType}</td>
                    <td className="pr-4"><DeliveryStatusBadge status={delivery.status} /></td>
                    <td className="pr-4">{delivery.responseStatus ?? '—'}</td>
                    <td className="hidden pr-4 sm:table-cell">{delivery.durationMs !== null ? `${delivery.durationMs} ms` : '—'}</td>
                    <td className="hidden pr-4 sm:table-cell">{delivery.attempts}</td>
                    <td className="hidden max-w-xs pr-4 md:table-cell">
                      {delivery.error && <p className="break-words text-xs text-red-800">{delivery.error}</p>}
                      {delivery.responseExcerpt && <code className="block max-h-16 overflow-hidden break-all text-xs text-slate-700">{delivery.responseExcerpt}</code>}
                    </td>
                    <td className="py-2 text-right">
                      {delivery.status === 'FAILED' && (
                        <ActionButton org={org} action={retryDeliveryAction} input={{ webhookId: webhook.id, deliveryId: delivery.id }} label="Retry now"
                          accessibleLabel={`Retry the ${EVENT_LABELS[delivery.eventType] ?? delivery.eventType} delivery now`} className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60" />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
