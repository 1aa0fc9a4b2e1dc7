'use client';
import { useState } from 'react';
import type { Role } from '@/lib/platform/db/client';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';
import { createApiTokenAction } from '../actions';
import { Field, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from './roles';
import { useOrgAction } from '@/app/_components/use-org-action';

// createApiToken never issues an OWNER token: a leaked integration token must not be able to manage owners.
const TOKEN_ROLES: readonly Role[] = ['ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'];
const LABELS: Record<string, string> = { name: 'Name', role: 'Role', expiresAt: 'Expires' };

export function CreateApiTokenForm({ org }: { org: string }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const { run, pending, error } = useOrgAction();

  if (created) {
    return (
      <div className="space-y-3">
        <p role="status" className="font-medium text-emerald-800">Token “{created.name}” created.</p>
        <p className="text-sm text-slate-700">It is shown <strong>only once</strong>: copy it now. Bulwark keeps only its hash and the first characters.</p>
        <CopyField label="API token" value={created.token} />
        <p className="text-xs text-slate-500">Send it as <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1/orgs/{org}/…</code>.</p>
        <button type="button" className={buttonStyles.secondary} onClick={() => setCreated(null)}>I have copied it</button>
      </div>
    );
  }

  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        // A date input gives a day; the token works through the end of that day, UTC.
        const expiresAt = expires ? `${expires}T23:59:59.999Z` : undefined;
        run(() => createApiTokenAction(org, { name, role, expiresAt }), { onSuccess: (data) => {
          setCreated({ token: data.token, name });
          setName('');
          setExpires('');
        } });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id="token-name" label="Name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="ci-pipeline" error={fieldIssue(error, 'name')} />
        <SelectField id="token-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} describedBy="token-role-help">
          {TOKEN_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
        </SelectField>
        <Field id="token-expires" label={<>Expires <span className="font-normal text-slate-500">(optional)</span></>} type="date" value={expires}
          onChange={(e) => setExpires(e.target.value)} error={fieldIssue(error, 'expiresAt')} />
      </div>
      <p id="token-role-help" className="text-xs text-slate-500">{ROLE_LABELS[role]}: {ROLE_DESCRIPTIONS[role]}.</p>
      <FormError error={error} describe={(path) => LABELS[path] ?? path} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Creating…' : 'Create token'}</button>
    </form>
  );
}
