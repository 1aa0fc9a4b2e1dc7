'use client';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { bulkCreateJiraIssuesAction } from '../../jira-actions';

/** One Jira issue per selected finding; findings that already have one are skipped, and Jira's rate limit ends the run. */
export function JiraBulkForm({ org, findingIds, onDone }: { org: string; findingIds: string[]; onDone: () => void }) {
  const { run, pending, error, success } = useOrgAction();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">Creates one Jira issue per selected finding, in the project chosen in Settings → Integrations → Jira. Findings that already have one are skipped.</p>
      <button type="button" disabled={pending || findingIds.length === 0} className={buttonStyles.primary} onClick={() => run(() => bulkCreateJiraIssuesAction(org, { findingIds }), {
        success: (result) => (
          <>
            {result.created.length} Jira issue{result.created.length === 1 ? '' : 's'} created{result.created.length > 0 ? `: ${result.created.map((c) => c.issueKey).join(', ')}` : ''}.
            {result.skipped.length > 0 && <> {result.skipped.length} skipped ({[...new Set(result.skipped.map((s) => s.reason))].join('; ')}).</>}
          </>
        ),
        onSuccess: onDone,
      })}>{pending ? 'Creating in Jira…' : `Create ${findingIds.length} Jira issue${findingIds.length === 1 ? '' : 's'}`}</button>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}
