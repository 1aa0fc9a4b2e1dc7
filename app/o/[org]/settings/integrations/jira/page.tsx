import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { env } from '@/lib/platform/env';
import { isAppError } from '@/lib/platform/errors';
import { getJiraConnection, jiraOptions } from '@/lib/services/jira/connection';
import { Card } from '@/app/_components/card';
import { buttonStyles } from '@/app/_components/button-styles';
import { JiraConnectForm } from './_components/jira-connect-form';
import { JiraSettingsForm } from './_components/jira-settings-form';
import { JiraDisconnect } from './_components/jira-disconnect';

export const metadata: Metadata = { title: 'Jira' };
export const dynamic = 'force-dynamic';

/** Settings → Integrations → Jira: connect (Cloud or Server/Data Center), project, issue type, priorities. Owners and admins. */
export default async function JiraSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const back = <Link href={`/o/${org}/settings/integrations`} className={buttonStyles.link}>← Integrations</Link>;
  if (!can(ctx, 'jira.manage')) {
    return <Card title="Jira"><p className="text-sm text-slate-600">Owners and admins connect this organization&apos;s Jira.</p></Card>;
  }
  const appUrl = env().APP_URL.replace(/\/+$/, '');
  const connection = await getJiraConnection(ctx);
  if (!connection) {
    return (
      <div className="grid gap-4">
        <div>{back}</div>
        <Card title="Connect Jira">
          <p className="mb-3 text-sm text-slate-600">Create Jira issues from findings and tickets, and see their Jira status in Bulwark. Jira Cloud uses an <a className={buttonStyles.link} href="https://id.atlassian.com/manage-profile/security/api-tokens">API token</a>; Jira Server and Data Center a personal access token.</p>
          <JiraConnectForm org={org} appUrl={appUrl} />
        </Card>
      </div>
    );
  }
  let options: Awaited<ReturnType<typeof jiraOptions>> | null = null;
  let optionsError: string | null = null;
  try { options = await jiraOptions(ctx); } catch (error) { if (!isAppError(error)) throw error; optionsError = error.message; }
  return (
    <div className="grid gap-4">
      <div>{back}</div>
      <Card title="Jira">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
          <div><dt className="text-slate-600">Jira</dt><dd className="break-all text-slate-900">{connection.deployment === 'cloud' ? 'Cloud' : 'Server / Data Center'} · {connection.baseUrl}</dd></div>
          <div><dt className="text-slate-600">Account</dt><dd className="break-all text-slate-900">{connection.accountName}{connection.email ? ` (${connection.email})` : ''}</dd></div>
          <div><dt className="text-slate-600">Project</dt><dd className="text-slate-900">{connection.projectKey ? `${connection.projectName} (${connection.projectKey})` : 'Not chosen yet'}</dd></div>
          <div><dt className="text-slate-600">Issue type</dt><dd className="text-slate-900">{connection.issueTypeName ?? 'Not chosen yet'}</dd></div>
        </dl>
      </Card>
      <Card title="Where issues go">
        {options
          ? <JiraSettingsForm org={org} options={options} current={{ projectKey: connection.projectKey, issueTypeId: connection.issueTypeId, priorityMap: connection.priorityMap }} />
          : <p role="alert" className="text-sm text-red-700">{optionsError}</p>}
      </Card>
      <Card title="Reconnect or disconnect">
        <p className="mb-3 text-sm text-slate-600">Reconnecting replaces the token and the webhook secret (update the webhook in Jira afterwards) and asks for the project and issue type again.</p>
        <details className="mb-4"><summary className="cursor-pointer text-sm font-medium text-slate-800">Reconnect with new credentials</summary><div className="mt-3"><JiraConnectForm org={org} appUrl={appUrl} reconnect /></div></details>
        <JiraDisconnect org={org} />
      </Card>
    </div>
  );
}
