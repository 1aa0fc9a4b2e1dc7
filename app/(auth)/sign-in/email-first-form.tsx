'use client';
import { useState } from 'react';
import { findSignInRouteAction } from './actions';
import { startSignIn } from './start-sign-in';

/**
 * Email first: the address decides the identity provider (an organization's own SSO for its verified domain,
 * otherwise the platform's), then the browser goes there with the address as login_hint.
 */
export function EmailFirstForm({ callbackUrl }: { callbackUrl: string }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [going, setGoing] = useState<string | null>(null);
  return (
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        setGoing('…');
        void findSignInRouteAction({ email }).then((result) => {
          if (!result.ok) { setError(result.message); setGoing(null); return; }
          setGoing(result.route.organizationName ? `${result.route.name} (${result.route.organizationName})` : result.route.name);
          startSignIn(result.route.providerId, callbackUrl, email.trim()).catch(() => { setError('Could not reach the sign-in; try again'); setGoing(null); });
        }, () => { setError('Could not look up your sign-in; try again'); setGoing(null); });
      }}
    >
      <label htmlFor="sign-in-email" className="text-sm font-medium text-slate-700">Work email</label>
      <input id="sign-in-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby="sign-in-email-error"
        className="rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600" />
      <p id="sign-in-email-error" role={error ? 'alert' : undefined} className="text-sm text-red-700">{error}</p>
      <button type="submit" disabled={going !== null} className="rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {going ? `Redirecting to ${going}…` : 'Continue'}
      </button>
    </form>
  );
}
