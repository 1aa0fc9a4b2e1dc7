import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { resolveSessionMembership } from '@/lib/platform/auth/membership';
import { requireSession } from '@/lib/web/context';
import { ssoProviderId } from '@/lib/services/sso/schemas';
import { SignInButton } from '../../sign-in/sign-in-button';

export const metadata: Metadata = { title: 'Single sign-on required' };
export const dynamic = 'force-dynamic';

/** Where a member lands whose sign-in is not the organization's own SSO while the organization enforces it. */
export default async function SsoRequiredPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const session = await requireSession();
  const result = await resolveSessionMembership({ userId: session.user.id, connectionId: session.user.connectionId ?? null }, org);
  if (result.kind === 'not_found') notFound();
  if (result.kind === 'member') redirect(`/o/${encodeURIComponent(org)}`);
  const callbackUrl = `/o/${encodeURIComponent(org)}`;
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-5 px-6">
      <div>
        <p className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</p>
        <h1 className="mt-2 text-2xl font-bold">{result.organizationName} requires single sign-on</h1>
        <p className="mt-2 text-sm text-slate-600">
          You are signed in as <strong>{session.user.email}</strong>, but not through {result.organizationName}&apos;s own identity provider.
          Its owners require everyone to sign in through it, so its data stays behind their access policies (MFA, offboarding).
        </p>
      </div>
      {result.connections.length ? (
        <div className="flex flex-col gap-3">
          {result.connections.map((connection) => (
            <SignInButton key={connection.id} providerId={ssoProviderId(connection.id)} name={connection.name} callbackUrl={callbackUrl} />
          ))}
        </div>
      ) : (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {result.organizationName} has no working single sign-on right now; ask one of its owners.
        </p>
      )}
      <p className="text-sm text-slate-600"><Link className="underline" href="/o">Back to your organizations</Link> · <Link className="underline" href="/sign-out">Sign out</Link></p>
    </main>
  );
}
