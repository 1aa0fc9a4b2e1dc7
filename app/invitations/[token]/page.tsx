import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { describeInvitation, describeInvitationFor, INVITATION_REFUSALS } from '@/lib/services/orgs/invitations';
import { currentSignIn } from '@/lib/web/sign-in-state';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '@/app/o/[org]/settings/_components/roles';
import { AcceptInvitationButton } from './accept-button';

// The token is the invitation's only secret: no index, and no referrer carrying it anywhere.
export const metadata: Metadata = { title: 'Invitation', robots: { index: false, follow: false }, referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/**
 * An invitation link. Signed out: sign in, then back here. Signed in: the organization, the role and an
 * explicit Accept, or a page that says why this link grants nothing.
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const signIn = await currentSignIn();
  if (!signIn) {
    const view = await describeInvitation(token);
    if (view.ok) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invitations/${token}`)}`);
    return <Refused reason={view.reason} />;
  }
  const view = await describeInvitationFor(token, signIn);
  if (!view.ok) return <Refused reason={view.reason} signedInAs={signIn.email} />;
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-xl px-6 py-16">
      <h1 className="mb-2 text-2xl font-bold">Join {view.organization.name}</h1>
      <p className="mb-6 text-slate-700">
        You are invited to <strong>{view.organization.name}</strong> as <strong>{ROLE_LABELS[view.role]}</strong>: {ROLE_DESCRIPTIONS[view.role]}.
      </p>
      <dl className="mb-6 grid gap-2 text-sm sm:grid-cols-2">
        <div><dt className="text-slate-500">Invited address</dt><dd className="break-all font-medium">{view.email}</dd></div>
        <div><dt className="text-slate-500">Signed in as</dt><dd className="break-all font-medium">{signIn.email}</dd></div>
        <div><dt className="text-slate-500">Link expires</dt><dd>{view.expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</dd></div>
      </dl>
      <AcceptInvitationButton token={token} organizationName={view.organization.name} />
    </main>
  );
}

function Refused({ reason, signedInAs }: { reason: keyof typeof INVITATION_REFUSALS; signedInAs?: string }) {
  const { title, detail } = INVITATION_REFUSALS[reason];
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-xl px-6 py-16">
      <h1 className="mb-2 text-2xl font-bold">{title}</h1>
      <p className="mb-4 text-slate-700">{detail}</p>
      {signedInAs && <p className="mb-4 text-sm text-slate-600">You are signed in as <span className="font-medium">{signedInAs}</span>. <Link className="text-brand-700 underline" href="/sign-out">Sign out</Link> to use another account.</p>}
      <p className="text-sm text-slate-500">Nothing was granted.</p>
    </main>
  );
}
