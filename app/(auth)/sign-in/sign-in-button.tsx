'use client';
import { startSignIn } from './start-sign-in';
import { useState } from 'react';

export function SignInButton({ providerId, name, callbackUrl }: { providerId: string; name: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => { setPending(true); startSignIn(providerId, callbackUrl).catch(() => setPending(false)); }}
      className="rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
    >
      {pending ? 'Redirecting…' : `Sign in with ${name}`}
    </button>
  );
}
