'use client';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { createJiraIssueAction, refreshJiraLinkAction } from '../jira-actions';

export type JiraLinkItem = { id: string; issueKey: string; url: string; status: string; statusCategory: string; lastSynced: string };

const CATEGORY_STYLE: Record<string, string> = {
  new: 'bg-slate-100 text-slate-800', indeterminate: 'bg-blue-50 text-blue-900', done: 'bg-emerald-50 text-emerald-900',
};

/**
 * A finding's or ticket's Jira issues with their status as Jira last told it. A Jira issue that is done while the
 * finding or ticket is still open says so: Jira never resolves anything in Bulwark (only a snapshot resolves a finding).
 */
export function JiraIssues({ org, subject, links, subjectOpen, canCreate, ready }: {
  org: string; subject: { findingId: string } | { ticketId: string }; links: JiraLinkItem[]; subjectOpen: boolean; canCreate: boolean; ready: boolean;
}) {
  const create = useOrgAction();
  const refresh = useOrgAction();
  const noun = 'findingId' in subject ? 'finding' : 'ticket';
  return (
    <div className="space-y-3" data-testid="jira-issues">
      {links.length > 0 && (
        <ul className="space-y-2">
          {links.map((link) => (
            <li key={link.id} className="space-y-1 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <a href={link.url} target="_blank" rel="noreferrer noopener" className={buttonStyles.link}>{link.issueKey}</a>
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${CATEGORY_STYLE[link.statusCategory] ?? CATEGORY_STYLE.new}`}>{link.status}</span>
              </div>
              {link.statusCategory === 'done' && subjectOpen && (
                <p className="text-amber-900" role="note">Resolved in Jira, still open in Bulwark: the {noun} stays open until {noun === 'finding' ? 'a snapshot no longer shows it' : 'someone closes it here'}.</p>
              )}
              <p className="text-xs text-slate-600">Status as of {link.lastSynced}</p>
              {canCreate && (
                <button type="button" disabled={refresh.pending} className={buttonStyles.secondary}
                  onClick={() => refresh.run(() => refreshJiraLinkAction(org, { linkId: link.id }), { success: 'Status updated from Jira.' })}>
                  {refresh.pending ? 'Asking Jira…' : 'Refresh status'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {links.length === 0 && canCreate && ready && (
        <button type="button" disabled={create.pending} className={buttonStyles.secondary}
          onClick={() => create.run(() => createJiraIssueAction(org, subject), { success: (link) => `Jira issue ${link.issueKey} created.` })}>
          {create.pending ? 'Creating in Jira…' : 'Create Jira issue'}
        </button>
      )}
      {links.length === 0 && (!ready || !canCreate) && <p className="text-sm text-slate-600">{ready ? 'No Jira issue.' : 'Jira is not set up for this organization (Settings → Integrations → Jira).'}</p>}
      <FormError error={create.error ?? refresh.error} />
      <FormSuccess message={create.success ?? refresh.success} />
    </div>
  );
}
