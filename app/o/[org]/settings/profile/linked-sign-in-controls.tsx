'use client';
import { signIn } from 'next-auth/react';
import { useState, useTransition } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { linkAnotherSignInAction, unlinkSignInAction } from './actions';

/**
 * Starts "Link another sign-in": the server stores a 10-minute, single-use intent (cookie in this browser), then
 * the identity provider asks for a login (prompt=login, so it does not silently reuse the current one).
 */
export function LinkAnotherSignInButton({ org, providerId, providerName }: { org: string; providerId: string; providerName: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-1">
      <button type="button" disabled={pending} className={buttonStyles.secondary}
        onClick={() => startTransition(async () => {
          setError(null);
          const result = await linkAnotherSignInAction(org, {});
          if (!result.ok) { setError(result.error.message); return; }
          await signIn(providerId, { callbackUrl: `/o/${org}/settings/profile` }, { prompt: 'login' });
        })}>
        {pending ? 'Redirecting…' : `Link another sign-in at ${providerName}`}
      </button>
      {error && <p role="alert" className="text-sm text-red-700">{error}</p>}
    </div>
  );
}

export function UnlinkSignInButton({ org, identityId, label }: { org: string; identityId: string; label: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" disabled={pending} aria-label={`Unlink ${label}`} className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
        onClick={() => {
          if (!window.confirm(`Unlink ${label}? You will be signed out everywhere and sign in again with a sign-in you keep.`)) return;
          startTransition(async () => {
            setError(null);
            const result = await unlinkSignInAction(org, { identityId });
            if (!result.ok) { setError(result.error.message); return; }
            window.location.assign('/sign-in');
          });
        }}>
        {pending ? 'Working…' : 'Unlink'}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </span>
  );
}
