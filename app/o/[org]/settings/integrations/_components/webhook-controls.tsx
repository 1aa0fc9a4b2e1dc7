'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { deleteWebhookAction, rotateWebhookSecretAction, sendTestWebhookAction, updateWebhookAction } from '../actions';
import { SecretOnce } from './secret-once';

/** A webhook's buttons: send test, enable/disable, rotate secret (new one shown once), delete (confirmed). */
export function WebhookControls({ org, webhookId, enabled, listHref }: { org: string; webhookId: string; enabled: boolean; listHref: string }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const { run, pending, error, success } = useOrgAction();
  if (secret) return <SecretOnce heading="Signing secret rotated. The old secret no longer verifies." secret={secret} onDone={() => setSecret(null)} />;
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending || !enabled} className={buttonStyles.primary}
          onClick={() => run(() => sendTestWebhookAction(org, { webhookId }), { success: 'Test delivery queued: it appears in the delivery log below.' })}>
          Send test
        </button>
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => run(() => updateWebhookAction(org, { webhookId, enabled: !enabled }), { success: enabled ? 'Webhook disabled.' : 'Webhook enabled.' })}>
          {enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => {
            if (!window.confirm('Rotate the signing secret? The current secret stops verifying at once; update the receiver with the new one.')) return;
            run(() => rotateWebhookSecretAction(org, { webhookId }), { onSuccess: (data) => setSecret(data.secret) });
          }}>
          Rotate secret
        </button>
        <button type="button" disabled={pending} className={buttonStyles.danger}
          onClick={() => {
            if (!window.confirm('Delete this webhook and its delivery log? Deliveries still queued are dropped.')) return;
            run(() => deleteWebhookAction(org, { webhookId }), { onSuccess: () => router.push(listHref) });
          }}>
          Delete
        </button>
      </div>
      {!enabled && <p className="text-sm text-slate-600">This webhook is disabled: nothing is delivered until it is enabled again.</p>}
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}
