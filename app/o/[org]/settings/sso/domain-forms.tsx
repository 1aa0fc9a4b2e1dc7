'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';
import { claimDomainAction, deleteDomainAction, setDomainConnectionAction, verifyDomainAction } from './actions';
import { ActionButton } from '../_components/action-button';
import { Field, FieldError, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';

export type DomainView = { id: string; domain: string; txtRecord: string; verifiedAt: string | null; connectionId: string | null };

export function ClaimDomainForm({ org }: { org: string }) {
  const [domain, setDomain] = useState('');
  const { run, pending, error } = useOrgAction();
  return (
    <form noValidate className="space-y-2" onSubmit={(event) => { event.preventDefault(); run(() => claimDomainAction(org, { domain }), { onSuccess: () => setDomain('') }); }}>
      <div className="flex flex-wrap items-end gap-2">
        <Field id="claim-domain" label="Domain" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="example.com" spellCheck={false} autoCapitalize="none"
          aria-invalid={fieldIssue(error, 'domain') ? true : undefined} describedBy="claim-domain-error" />
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Claiming…' : 'Claim domain'}</button>
      </div>
      <FieldError id="claim-domain-error" message={fieldIssue(error, 'domain')} />
      <FormError error={fieldIssue(error, 'domain') ? null : error} />
    </form>
  );
}

export function DomainItem({ org, domain, connections }: { org: string; domain: DomainView; connections: { id: string; name: string }[] }) {
  const verify = useOrgAction();
  const route = useOrgAction();
  const [target, setTarget] = useState(domain.connectionId ?? '');
  const selectId = `route-${domain.id}`;
  return (
    <li className="space-y-2 py-3" aria-label={`Domain ${domain.domain}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-mono font-medium">{domain.domain}</span>
        <span className="flex items-center gap-3 text-sm">
          {domain.verifiedAt
            ? <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">Verified {domain.verifiedAt.slice(0, 10)}</span>
            : <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">Not verified</span>}
          <ActionButton org={org} action={deleteDomainAction} input={{ domainId: domain.id }} label="Remove" accessibleLabel={`Remove ${domain.domain}`}
            confirm={`Remove ${domain.domain}? People at it will sign in through the platform IdP.`} />
        </span>
      </div>
      {!domain.verifiedAt && (
        <div className="space-y-2">
          <p className="text-sm text-slate-600">Create this TXT record at <code>{domain.domain}</code> with your DNS provider, then verify.</p>
          <CopyField label={`TXT record for ${domain.domain}`} value={domain.txtRecord} />
          <button type="button" disabled={verify.pending} className={buttonStyles.secondary} onClick={() => verify.run(() => verifyDomainAction(org, { domainId: domain.id }))}>
            {verify.pending ? 'Checking DNS…' : `Verify ${domain.domain}`}
          </button>
          {verify.error && <p role="alert" className="text-sm text-red-700">{verify.error.message}</p>}
        </div>
      )}
      {domain.verifiedAt && (
        <form className="flex flex-wrap items-end gap-2" onSubmit={(event) => { event.preventDefault(); route.run(() => setDomainConnectionAction(org, { domainId: domain.id, connectionId: target || null })); }}>
          <SelectField id={selectId} label={`People at ${domain.domain} sign in through`} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">The platform IdP (no routing)</option>
            {connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </SelectField>
          {(target || null) !== domain.connectionId && <button type="submit" disabled={route.pending} className={buttonStyles.secondary}>{route.pending ? 'Saving…' : 'Save routing'}</button>}
          {route.error && <p role="alert" className="w-full text-sm text-red-700">{route.error.message}</p>}
        </form>
      )}
    </li>
  );
}
