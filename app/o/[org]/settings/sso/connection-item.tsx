'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';
import { deleteSsoConnectionAction, rotateSsoSecretAction, setSsoConnectionEnabledAction } from './actions';
import { ConnectionForm } from './connection-form';
import { ActionButton } from '../_components/action-button';
import { Field } from '@/app/_components/field';
import { useOrgAction } from '@/app/_components/use-org-action';

export type ConnectionView = {
  id: string; name: string; issuer: string; clientId: string; scopes: string; groupClaim: string; enabled: boolean;
  redirectUri: string; secretRotatedAt: string | null; mappings: number; domains: number;
};

function RotateSecretForm({ org, connection, onDone }: { org: string; connection: ConnectionView; onDone: () => void }) {
  const [secret, setSecret] = useState('');
  const { run, pending, error } = useOrgAction();
  const id = `rotate-${connection.id}`;
  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={(event) => { event.preventDefault(); run(() => rotateSsoSecretAction(org, { connectionId: connection.id, clientSecret: secret }), { onSuccess: onDone }); }}>
      <Field id={id} label={`New client secret for ${connection.name}`} type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save secret'}</button>
      <button type="button" onClick={onDone} className={buttonStyles.secondary}>Cancel</button>
      {error && <p role="alert" className="w-full text-xs text-red-700">{error.message}</p>}
    </form>
  );
}

export function ConnectionItem({ org, connection }: { org: string; connection: ConnectionView }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'rotate'>('view');
  return (
    <li className="space-y-3 py-4" aria-label={`Connection ${connection.name}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">{connection.name} {connection.enabled ? <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">Enabled</span> : <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Disabled</span>}</h3>
        <span className="flex flex-wrap items-center gap-3 text-sm">
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setMode('edit')}>Edit</button>
          <button type="button" className="font-medium text-brand-700 hover:underline" onClick={() => setMode('rotate')}>Rotate secret</button>
          <ActionButton org={org} action={setSsoConnectionEnabledAction} input={{ connectionId: connection.id, enabled: !connection.enabled }}
            label={connection.enabled ? 'Disable' : 'Enable'} accessibleLabel={`${connection.enabled ? 'Disable' : 'Enable'} ${connection.name}`}
            confirm={connection.enabled ? `Disable ${connection.name}? Everyone signed in through it is signed out at their next click.` : undefined}
            className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60" />
          <ActionButton org={org} action={deleteSsoConnectionAction} input={{ connectionId: connection.id }} label="Delete" accessibleLabel={`Delete ${connection.name}`}
            confirm={`Delete ${connection.name}? Its ${connection.mappings} group mapping(s) go with it, its sessions end, and its domains stop routing to it.`} />
        </span>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">Issuer</dt><dd className="break-all font-mono text-xs">{connection.issuer}</dd>
        <dt className="text-slate-500">Client ID</dt><dd className="break-all font-mono text-xs">{connection.clientId}</dd>
        <dt className="text-slate-500">Client secret</dt><dd>Set{connection.secretRotatedAt ? `, last rotated ${connection.secretRotatedAt.slice(0, 10)}` : ''} (never shown)</dd>
        <dt className="text-slate-500">Scopes</dt><dd className="font-mono text-xs">{connection.scopes}</dd>
        <dt className="text-slate-500">Group claim</dt><dd className="font-mono text-xs">{connection.groupClaim}</dd>
      </dl>
      <CopyField label={`Redirect URI for ${connection.name} (register it with the IdP)`} value={connection.redirectUri} />
      {mode === 'edit' && <ConnectionForm org={org} existing={connection} onDone={() => setMode('view')} />}
      {mode === 'rotate' && <RotateSecretForm org={org} connection={connection} onDone={() => setMode('view')} />}
    </li>
  );
}
