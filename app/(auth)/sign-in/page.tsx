import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { auth, platformProviders } from '@/lib/web/auth';
import { safeCallbackPath } from '@/lib/platform/auth/callback-url';
import { SignInButton } from './sign-in-button';
import { EmailFirstForm } from './email-first-form';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

const ERRORS: Record<string, string> = {
  OAuthSignin: 'Could not reach the identity provider. Try again in a moment.',
  OAuthCallback: 'The identity provider answered with an error. Try again.',
  Callback: 'Signing in failed. Try again.',
  AccessDenied: 'Your identity provider refused the sign-in.',
  Default: 'Signing in failed. Try again.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await auth()) redirect(callbackUrl);
  const providers = platformProviders().map((p) => ({ id: p.id, name: p.name }));
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-6">
      <div>
        <p className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</p>
        <h1 className="mt-2 text-2xl font-bold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Enter your email: we send you to your organization&apos;s single sign-on.</p>
      </div>
      {params.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {ERRORS[params.error] ?? ERRORS.Default}
        </p>
      )}
      <EmailFirstForm callbackUrl={callbackUrl} />
      <details className="text-sm text-slate-600">
        <summary className="cursor-pointer">Other ways to sign in</summary>
        <div className="mt-3 flex flex-col gap-3">
          {providers.map((provider) => <SignInButton key={provider.id} providerId={provider.id} name={provider.name} callbackUrl={callbackUrl} />)}
        </div>
      </details>
    </main>
  );
}
