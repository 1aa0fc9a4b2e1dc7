'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';
import { Field, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { connectJiraAction } from '../actions';

const LABELS: Record<string, string> = { deployment: 'Jira', baseUrl: 'Jira address', email: 'E-mail', token: 'Token' };

/** Connect (or reconnect) Jira; afterwards the webhook address with its secret, shown once. */
export function JiraConnectForm({ org, appUrl, reconnect = false }: { org: string; appUrl: string; reconnect?: boolean }) {
  const [deployment, setDeployment] = useState<'cloud' | 'server'>('cloud');
  const [baseUrl, setBaseUrl] = useState('');
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const [webhook, setWebhook] = useState<string | null>(null);
  const { run, pending, error } = useOrgAction();
  const router = useRouter();

  if (webhook) {
    return (
      <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-3">
        <p role="status" className="font-medium text-emerald-900">Jira connected.</p>
        <p className="text-sm text-slate-800">To have status changes come back at once, add a webhook in Jira (System → WebHooks, event <em>Issue updated</em>) with this address. It carries a secret shown <strong>only once</strong>; without it Bulwark still asks Jira for the status periodically.</p>
        <CopyField label="Jira webhook URL" value={webhook} />
        {/* Only now does the page show the connection: refreshing at once would render it without this form, and the
            address with its secret, shown only once, would vanish before anyone copied it. */}
        <button type="button" className={buttonStyles.secondary} onClick={() => { setWebhook(null); router.refresh(); }}>I have copied it</button>
      </div>
    );
  }
  return (
    <form noValidate className="space-y-4" onSubmit={(event) => {
      event.preventDefault();
      run(() => connectJiraAction(org, { deployment, baseUrl, email: deployment === 'cloud' ? email : undefined, token }), {
        refresh: false,
        onSuccess: (data) => { setToken(''); setWebhook(`${appUrl}${data.connection.webhookPath}?secret=${encodeURIComponent(data.webhookSecret)}`); },
      });
    }}>
      <div className="grid gap-3 md:grid-cols-2">
        <SelectField id="jira-deployment" label="Jira" value={deployment} onChange={(e) => setDeployment(e.target.value as 'cloud' | 'server')} error={fieldIssue(error, 'deployment')}>
          <option value="cloud">Jira Cloud (e-mail and API token)</option>
          <option value="server">Jira Server / Data Center (personal access token)</option>
        </SelectField>
        <Field id="jira-base-url" label="Jira address" type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://your-team.atlassian.net" hint="https only; internal addresses are refused." error={fieldIssue(error, 'baseUrl')} />
        {deployment === 'cloud' && <Field id="jira-email" label="E-mail" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)} hint="The Atlassian account the API token belongs to." error={fieldIssue(error, 'email')} />}
        <Field id="jira-token" label={deployment === 'cloud' ? 'API token' : 'Personal access token'} type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} hint="Stored encrypted; never shown again." error={fieldIssue(error, 'token')} />
      </div>
      <FormError error={error} describe={(path) => LABELS[path] ?? path} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Checking with Jira…' : reconnect ? 'Reconnect Jira' : 'Connect Jira'}</button>
    </form>
  );
}
