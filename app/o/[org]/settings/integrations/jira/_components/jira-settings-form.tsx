'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { fieldIssue, SelectField } from '@/app/_components/field';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { jiraOptionsAction, saveJiraSettingsAction } from '../actions';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
type Severity = (typeof SEVERITIES)[number];
type Options = { projects: { key: string; name: string }[]; issueTypes: { id: string; name: string }[]; priorities: string[] };
const LABELS: Record<string, string> = { projectKey: 'Project', issueTypeId: 'Issue type' };

/** Project, issue type (fetched from Jira) and severity → priority. */
export function JiraSettingsForm({ org, options, current }: {
  org: string; options: Options; current: { projectKey: string | null; issueTypeId: string | null; priorityMap: Partial<Record<Severity, string>> };
}) {
  const [projectKey, setProjectKey] = useState(current.projectKey ?? '');
  const [issueTypes, setIssueTypes] = useState(options.issueTypes);
  const [issueTypeId, setIssueTypeId] = useState(current.issueTypeId ?? '');
  const [priorityMap, setPriorityMap] = useState<Partial<Record<Severity, string>>>(current.priorityMap);
  const { run, pending, error, success } = useOrgAction();
  const types = useOrgAction();

  return (
    <form noValidate className="space-y-4" onSubmit={(event) => {
      event.preventDefault();
      run(() => saveJiraSettingsAction(org, { projectKey, issueTypeId, priorityMap }), { success: 'Saved.' });
    }}>
      <div className="grid gap-3 md:grid-cols-2">
        <SelectField id="jira-project" label="Project" value={projectKey} error={fieldIssue(error, 'projectKey')} onChange={(e) => {
          const key = e.target.value;
          setProjectKey(key);
          setIssueTypeId('');
          setIssueTypes([]);
          if (key) types.run(() => jiraOptionsAction(org, { projectKey: key }), { onSuccess: (data) => setIssueTypes(data.issueTypes) });
        }}>
          <option value="">Choose a project</option>
          {options.projects.map((p) => <option key={p.key} value={p.key}>{p.name} ({p.key})</option>)}
        </SelectField>
        <SelectField id="jira-issue-type" label="Issue type" value={issueTypeId} onChange={(e) => setIssueTypeId(e.target.value)} error={fieldIssue(error, 'issueTypeId')} disabled={types.pending}>
          <option value="">{types.pending ? 'Loading…' : 'Choose an issue type'}</option>
          {issueTypes.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </SelectField>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Priority for each severity</legend>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {SEVERITIES.map((severity) => (
            <SelectField key={severity} id={`jira-priority-${severity}`} label={severity.charAt(0) + severity.slice(1).toLowerCase()} value={priorityMap[severity] ?? ''}
              error={fieldIssue(error, `priorityMap.${severity}`)} onChange={(e) => setPriorityMap({ ...priorityMap, [severity]: e.target.value })}>
              <option value="">Jira&apos;s default</option>
              {options.priorities.map((p) => <option key={p} value={p}>{p}</option>)}
            </SelectField>
          ))}
        </div>
      </fieldset>
      <FormError error={error ?? types.error} describe={(path) => LABELS[path] ?? path} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save Jira settings'}</button>
    </form>
  );
}
