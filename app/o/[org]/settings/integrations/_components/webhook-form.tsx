'use client';
import { useState } from 'react';
import type { WebhookFormat } from '@/lib/platform/db/client';
// Not webhooks/schemas: it checks URLs with the server's environment, which has no place in the browser bundle.
import { DOMAIN_EVENT_TYPES as WEBHOOK_EVENTS } from '@/lib/services/events/types';
import { buttonStyles } from '@/app/_components/button-styles';
import { Field, FieldError, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { createWebhookAction, updateWebhookAction } from '../actions';
import { EVENT_LABELS, FORMAT_LABELS } from './webhook-labels';
import { SecretOnce } from './secret-once';

const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['JSON', 'SLACK'];
const LABELS: Record<string, string> = { url: 'URL', events: 'Events', format: 'Format' };

type Existing = { id: string; url: string; events: string[]; format: WebhookFormat };

/** Create a webhook (the secret is shown once afterwards) or edit one: URL, events, format. */
export function WebhookForm({ org, webhook }: { org: string; webhook?: Existing }) {
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [events, setEvents] = useState<string[]>(webhook?.events ?? ['finding.opened']);
  const [format, setFormat] = useState<WebhookFormat>(webhook?.format ?? 'JSON');
  const [secret, setSecret] = useState<string | null>(null);
  const { run, pending, error, success } = useOrgAction();
  const prefix = webhook ? `webhook-${webhook.id.slice(0, 8)}` : 'new-webhook';
  const eventsError = fieldIssue(error, 'events');

  if (secret) return <SecretOnce heading="Webhook created." secret={secret} onDone={() => setSecret(null)} />;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (webhook) {
          run(() => updateWebhookAction(org, { webhookId: webhook.id, url, events, format }), { success: 'Saved.' });
        } else {
          run(() => createWebhookAction(org, { url, events, format }), { onSuccess: (data) => {
            setSecret(data.secret);
            setUrl('');
          } });
        }
      }}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <Field id={`${prefix}-url`} className="space-y-1 md:col-span-2" label="URL" type="url" required maxLength={2000} value={url} onChange={(e) => setUrl(e.target.value)}
          placeholder="https://hooks.slack.com/services/…" hint="https only; internal and private addresses are refused." error={fieldIssue(error, 'url')} />
        <SelectField id={`${prefix}-format`} label="Format" value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)} error={fieldIssue(error, 'format')}>
          {WEBHOOK_FORMATS.map((f) => <option key={f} value={f}>{FORMAT_LABELS[f]}</option>)}
        </SelectField>
      </div>
      <fieldset className="space-y-2" aria-describedby={eventsError ? `${prefix}-events-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <div className="grid gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-3">
          {WEBHOOK_EVENTS.map((type) => (
            <label key={type} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={events.includes(type)}
                onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))} />
              {EVENT_LABELS[type] ?? type} <code className="text-xs text-slate-600">{type}</code>
            </label>
          ))}
        </div>
        <FieldError id={`${prefix}-events-error`} message={eventsError} />
      </fieldset>
      <FormError error={error} describe={(path) => LABELS[path] ?? path} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : webhook ? 'Save changes' : 'Create webhook'}</button>
    </form>
  );
}
