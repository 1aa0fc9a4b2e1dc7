'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { startCampaignAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { Field, SelectField, fieldIssue } from '@/app/_components/field';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { buttonStyles } from '@/app/_components/button-styles';

type Option = { id: string; label: string };

const FIELD_NAMES: Record<string, string> = {
  name: 'Name', clusterIds: 'Clusters', scope: 'Scope', reviewerMode: 'Reviewers', reviewerUserId: 'Reviewer', reviewerTeamId: 'Team',
  namespaceReviewers: 'Namespace reviewers', dueAt: 'Due date', recurrence: 'Recurrence',
};

/** Name, clusters, scope, reviewers (one person, a team, or per namespace), due date, quarterly or not. */
export function StartCampaignForm({ org, clusters, members, teams, defaultDue }: { org: string; clusters: (Option & { ready: boolean })[]; members: Option[]; teams: Option[]; defaultDue: string }) {
  const router = useRouter();
  const { run, pending, error, success } = useOrgAction();
  const [name, setName] = useState('');
  const [clusterIds, setClusterIds] = useState<string[]>([]);
  const [scope, setScope] = useState<'privileged' | 'all'>('privileged');
  const [reviewerMode, setReviewerMode] = useState<'person' | 'team' | 'namespace'>('person');
  const [reviewerUserId, setReviewerUserId] = useState('');
  const [reviewerTeamId, setReviewerTeamId] = useState('');
  const [rows, setRows] = useState<{ namespace: string; userId: string }[]>([{ namespace: '', userId: '' }]);
  const [dueAt, setDueAt] = useState(defaultDue);
  const [recurrence, setRecurrence] = useState<'none' | 'quarterly'>('none');
  const toggle = (id: string, on: boolean) => setClusterIds((ids) => (on ? [...ids, id] : ids.filter((v) => v !== id)));

  return (
    <form
      className="space-y-4"
      aria-label="Start an access review"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => startCampaignAction(org, {
          name, clusterIds, scope, reviewerMode, recurrence,
          dueAt: dueAt ? new Date(`${dueAt}T23:59:59Z`).toISOString() : '',
          ...(reviewerMode !== 'team' && reviewerUserId ? { reviewerUserId } : {}),
          ...(reviewerMode === 'team' && reviewerTeamId ? { reviewerTeamId } : {}),
          namespaceReviewers: reviewerMode === 'namespace' ? rows.filter((r) => r.namespace || r.userId) : [],
        }), { success: 'Campaign started.', onSuccess: (data) => router.push(`/o/${org}/reviews/${data.campaignId}`) });
      }}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <Field id="campaign-name" label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fieldIssue(error, 'name')} placeholder="Q1 privileged access review" />
        <Field id="campaign-due" label="Due date" type="date" value={dueAt} onChange={(e) => setDueAt(e.target.value)} error={fieldIssue(error, 'dueAt')} />
        <SelectField id="campaign-scope" label="Scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)} error={fieldIssue(error, 'scope')}
          hint="Privileged: secrets read, pod create/exec, escalate/bind/impersonate, nodes/proxy, token create, CSR approval, webhooks, PersistentVolume create, wildcards.">
          <option value="privileged">Privileged rights only</option>
          <option value="all">Every subject and right</option>
        </SelectField>
        <SelectField id="campaign-recurrence" label="Recurrence" value={recurrence} onChange={(e) => setRecurrence(e.target.value as typeof recurrence)}>
          <option value="none">Once</option>
          <option value="quarterly">Quarterly (the next one starts three months after this one)</option>
        </SelectField>
      </div>
      <fieldset className="space-y-2">
        <legend className={labelStyles}>Clusters</legend>
        <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2" aria-describedby={fieldIssue(error, 'clusterIds') ? 'campaign-clusters-error' : undefined}>
          {clusters.length === 0 && <p className="text-sm text-slate-500">No clusters yet.</p>}
          {clusters.map((cluster) => (
            <label key={cluster.id} className="flex min-w-0 items-center gap-2 text-sm">
              <input type="checkbox" checked={clusterIds.includes(cluster.id)} onChange={(e) => toggle(cluster.id, e.target.checked)} />
              <span className="truncate">{cluster.label}</span>
            </label>
          ))}
        </div>
        {fieldIssue(error, 'clusterIds') && <p id="campaign-clusters-error" className="text-xs text-red-700">{fieldIssue(error, 'clusterIds')}</p>}
      </fieldset>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <SelectField id="campaign-reviewer-mode" label="Reviewers" value={reviewerMode} onChange={(e) => setReviewerMode(e.target.value as typeof reviewerMode)}>
          <option value="person">One person</option>
          <option value="team">A team (any member decides)</option>
          <option value="namespace">Per namespace</option>
        </SelectField>
        {reviewerMode === 'team' ? (
          <SelectField id="campaign-team" label="Team" value={reviewerTeamId} onChange={(e) => setReviewerTeamId(e.target.value)} error={fieldIssue(error, 'reviewerTeamId')}>
            <option value="">Choose a team</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
          </SelectField>
        ) : (
          <SelectField id="campaign-reviewer" label={reviewerMode === 'person' ? 'Reviewer' : 'Reviewer of cluster-wide rights and other namespaces'} value={reviewerUserId} onChange={(e) => setReviewerUserId(e.target.value)} error={fieldIssue(error, 'reviewerUserId')}>
            <option value="">Choose a member</option>
            {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </SelectField>
        )}
      </div>
      {reviewerMode === 'namespace' && (
        <fieldset className="space-y-2">
          <legend className={labelStyles}>Namespace reviewers</legend>
          {rows.map((row, index) => (
            <div key={index} className="flex flex-wrap gap-2">
              <input aria-label={`Namespace ${index + 1}`} className={`${inputStyles} sm:w-56`} value={row.namespace} placeholder="payments"
                onChange={(e) => setRows((all) => all.map((r, i) => (i === index ? { ...r, namespace: e.target.value } : r)))} />
              <select aria-label={`Reviewer of namespace ${index + 1}`} className={`${inputStyles} sm:w-72`} value={row.userId}
                onChange={(e) => setRows((all) => all.map((r, i) => (i === index ? { ...r, userId: e.target.value } : r)))}>
                <option value="">Choose a member</option>
                {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
              </select>
            </div>
          ))}
          <button type="button" className={buttonStyles.secondary} onClick={() => setRows((all) => [...all, { namespace: '', userId: '' }])}>Add a namespace</button>
          {fieldIssue(error, 'namespaceReviewers') && <p className="text-xs text-red-700">{fieldIssue(error, 'namespaceReviewers')}</p>}
        </fieldset>
      )}
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Starting…' : 'Start the campaign'}</button>
      <FormError error={error} describe={(path) => FIELD_NAMES[path.split('.')[0] ?? path] ?? path} />
      <FormSuccess message={success} />
    </form>
  );
}
