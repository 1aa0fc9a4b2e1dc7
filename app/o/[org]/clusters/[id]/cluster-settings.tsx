'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { archiveClusterAction, deleteClusterAction, restoreClusterAction, updateClusterAction } from '../actions';
import { buttonStyles } from '@/app/_components/button-styles';
import { Field, SelectField, TextAreaField } from '@/app/_components/field';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';

type Environment = 'PRODUCTION' | 'STAGING' | 'DEVELOPMENT';
type Props = { org: string; clusterId: string; name: string; environment: Environment | null; labels: Record<string, string>; archived: boolean };

/** `key=value` per line, as the form shows labels; the server validates keys and values. */
function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0) return `Line ${index + 1}: write labels as key=value`;
    labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return labels;
}

export function ClusterSettings({ org, clusterId, name, environment, labels, archived }: Props) {
  const router = useRouter();
  const save = useOrgAction();
  const lifecycle = useOrgAction();
  const remove = useOrgAction();
  const [labelError, setLabelError] = useState<string | null>(null);
  const [confirmName, setConfirmName] = useState('');

  function submit(form: FormData) {
    const parsed = parseLabels(String(form.get('labels') ?? ''));
    if (typeof parsed === 'string') { setLabelError(parsed); return; }
    setLabelError(null);
    const env = String(form.get('environment') ?? '');
    save.run(() => updateClusterAction(org, { clusterId, name: String(form.get('name') ?? ''), environment: env === '' ? null : (env as Environment), labels: parsed }), { success: 'Saved' });
  }

  return (
    <div className="space-y-6 text-sm">
      <form action={submit} className="space-y-3" aria-label="Cluster details">
        <Field id="cluster-name" label="Name" name="name" defaultValue={name} required aria-invalid={save.error?.issues?.some((i) => i.path === 'name') || undefined} />
        <SelectField id="cluster-environment" label="Environment" name="environment" defaultValue={environment ?? ''}>
          <option value="">Not set</option>
          <option value="PRODUCTION">Production</option>
          <option value="STAGING">Staging</option>
          <option value="DEVELOPMENT">Development</option>
        </SelectField>
        <TextAreaField id="cluster-labels" label="Labels" name="labels" rows={3} defaultValue={Object.entries(labels).map(([key, value]) => `${key}=${value}`).join('\n')}
          placeholder={'team=payments\nregion=eu-west-1'} inputClassName={`${inputStyles} font-mono`} hint="One key=value per line, Kubernetes label syntax." />
        {labelError && <p role="alert" className="text-sm text-red-700">{labelError}</p>}
        <FormError error={save.error} />
        <FormSuccess message={save.success} />
        <button type="submit" disabled={save.pending} className={buttonStyles.primary}>Save</button>
      </form>

      <section aria-labelledby="archive-heading" className="space-y-2 border-t border-slate-100 pt-4">
        <h3 id="archive-heading" className="font-semibold">{archived ? 'Archived' : 'Archive'}</h3>
        <p className="text-slate-600">
          {archived
            ? 'Its history stays readable. It raises no staleness alert, its agent is refused, and it is left out of the dashboard, the organization score and "all clusters" reports.'
            : 'Keeps its history; stops its staleness alert and refuses its agent; leaves the dashboard, the organization score and "all clusters" reports (you can still choose it for a report).'}
        </p>
        <FormError error={lifecycle.error} />
        <button type="button" disabled={lifecycle.pending} className={buttonStyles.secondary}
          onClick={() => lifecycle.run(() => (archived ? restoreClusterAction(org, { clusterId }) : archiveClusterAction(org, { clusterId })))}>
          {archived ? 'Restore cluster' : 'Archive cluster'}
        </button>
      </section>

      <section aria-labelledby="delete-heading" className="space-y-2 border-t border-slate-100 pt-4">
        <h3 id="delete-heading" className="font-semibold text-red-800">Delete</h3>
        <p className="text-slate-600">Removes its snapshots, findings (with comments, risk acceptances and ticket links) and scores. The audit log keeps who deleted it. This cannot be undone.</p>
        <label htmlFor="confirm-delete" className={labelStyles}>Type <strong>{name}</strong> to confirm</label>
        <input id="confirm-delete" value={confirmName} onChange={(event) => setConfirmName(event.target.value)} className={inputStyles} autoComplete="off" />
        <FormError error={remove.error} />
        <button type="button" disabled={remove.pending || confirmName.trim() !== name} className={buttonStyles.danger}
          onClick={() => remove.run(() => deleteClusterAction(org, { clusterId, confirmName }), { onSuccess: () => router.push(`/o/${org}/clusters`) })}>
          Delete cluster
        </button>
      </section>
    </div>
  );
}
