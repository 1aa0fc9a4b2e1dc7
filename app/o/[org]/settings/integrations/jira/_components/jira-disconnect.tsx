'use client';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { disconnectJiraAction } from '../actions';

export function JiraDisconnect({ org }: { org: string }) {
  const { run, pending, error } = useOrgAction();
  return (
    <div className="space-y-2">
      <button type="button" disabled={pending} className={buttonStyles.secondary} onClick={() => {
        if (window.confirm('Disconnect Jira? Linked issues keep their last known status.')) run(() => disconnectJiraAction(org, {}));
      }}>{pending ? 'Disconnecting…' : 'Disconnect Jira'}</button>
      <FormError error={error} />
    </div>
  );
}
