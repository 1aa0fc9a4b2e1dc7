'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { createSsoConnectionAction, updateSsoConnectionAction } from './actions';
import { Field, fieldIssue } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';

type Existing = { id: string; name: string; issuer: string; clientId: string; scopes: string; groupClaim: string };

const LABELS: Record<string, string> = { name: 'Name', issuer: 'Issuer URL', clientId: 'Client ID', clientSecret: 'Client secret', scopes: 'Scopes', groupClaim: 'Group claim' };

/** Add a connection, or change one (the secret is not part of a change: "Rotate secret" replaces it). */
export function ConnectionForm({ org, existing, onDone }: { org: string; existing?: Existing; onDone?: () => void }) {
  const prefix = existing ? `edit-${existing.id}` : 'new-connection';
  const [values, setValues] = useState({
    name: existing?.name ?? '', issuer: existing?.issuer ?? '', clientId: existing?.clientId ?? '', clientSecret: '',
    scopes: existing?.scopes ?? 'openid email profile', groupClaim: existing?.groupClaim ?? 'groups',
  });
  const { run, pending, error } = useOrgAction();
  const field = (name: keyof typeof values, type = 'text', help?: string) => (
    <Field id={`${prefix}-${name}`} label={LABELS[name]} type={type} value={values[name]} autoComplete={type === 'password' ? 'new-password' : 'off'} spellCheck={false}
      onChange={(e) => setValues({ ...values, [name]: e.target.value })} hint={help} error={fieldIssue(error, name)} />
  );
  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (existing) {
          const { clientSecret: _unused, ...rest } = values;
          run(() => updateSsoConnectionAction(org, { connectionId: existing.id, ...rest }), { onSuccess: () => onDone?.() });
        } else {
          run(() => createSsoConnectionAction(org, values), { onSuccess: () => setValues({ ...values, name: '', issuer: '', clientId: '', clientSecret: '' }) });
        }
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        {field('name', 'text', 'Shown on the sign-in button, e.g. "Acme Okta".')}
        {field('issuer', 'url', 'Exactly as the IdP states it; its /.well-known/openid-configuration is checked when you save.')}
        {field('clientId')}
        {!existing && field('clientSecret', 'password', 'Stored encrypted; never shown again.')}
        {field('scopes')}
        {field('groupClaim', 'text', 'The ID-token claim that lists groups: groups (Okta, Entra), or e.g. realm_access.roles (Keycloak).')}
      </div>
      <FormError error={error} describe={(path) => LABELS[path] ?? path} />
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Checking the IdP…' : existing ? 'Save changes' : 'Add connection'}</button>
        {existing && <button type="button" onClick={onDone} className={buttonStyles.secondary}>Cancel</button>}
      </div>
    </form>
  );
}
