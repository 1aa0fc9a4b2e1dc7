import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { currentSignIn } from '@/lib/web/sign-in-state';
import { listIdentities, listLinkableConnections } from '@/lib/services/identity/identities';
import { env } from '@/lib/platform/env';
import { ssoProviderId } from '@/lib/services/sso/schemas';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { LinkAnotherSignInButton, UnlinkSignInButton } from './linked-sign-in-controls';
import { getMyDigestSetting } from '@/lib/services/digests/settings';
import { DIGEST_FREQUENCY_LABELS } from '@/lib/services/digests/schemas';
import { DigestForm } from './digest-form';

/** The IANA zones this runtime knows, UTC first. */
function timeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
}

export const metadata: Metadata = { title: 'Profile' };
export const dynamic = 'force-dynamic';

/** The signed-in person's own sign-ins (all of them, whatever organization's connection they came through). */
export default async function ProfilePage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const me = await currentSignIn();
  if (!me) return null;
  const [identities, connections, digest] = await Promise.all([
    listIdentities(me.userId),
    listLinkableConnections(ctx),
    getMyDigestSetting(ctx),
  ]);
  const platformName = env().OIDC_PROVIDER_NAME;
  const now = new Date();
  return (
    <div className="grid max-w-3xl gap-4">
      <Card title="E-mail digest">
        <p className="mb-3 text-sm text-slate-600">
          One e-mail with the open findings assigned to you or your teams, the requests waiting for your approval and your
          risk acceptances that expire within 7 days, sent at 08:00 in your time zone. Nothing is sent when there is nothing
          to tell you. Off until you choose it.
        </p>
        <p className="mb-3 text-sm" data-testid="digest-current">
          Now: <strong>{DIGEST_FREQUENCY_LABELS[digest.frequency]}</strong>{digest.frequency !== 'none' && digest.timeZone ? ` (${digest.timeZone})` : ''}
          {digest.unsubscribed && digest.frequency !== 'none' && <span className="block text-amber-800">You unsubscribed from digests with an e-mail&apos;s link, so none is sent. Saving a digest here turns it on again.</span>}
        </p>
        <DigestForm org={org} frequency={digest.frequency} timeZone={digest.timeZone} timeZones={timeZones()} />
      </Card>
      <Card title="Linked sign-ins">
        <p className="mb-3 text-sm text-slate-600">
          Each is a way to sign in as you. A new sign-in is never joined to your account because it shows the same email
          address: link it here, while signed in. Unlinking one signs you out everywhere.
        </p>
        <ul className="mb-4 divide-y divide-slate-100 text-sm">
          {identities.map((identity) => {
            const label = identity.connection ? `${identity.connection.name} (single sign-on)` : platformName;
            return (
              <li key={identity.id} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="linked-sign-in">
                <span className="min-w-0">
                  <span className="block font-medium">{label}{identity.id === me.identityId && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600">this session</span>}</span>
                  <span className="block break-all text-xs text-slate-500">
                    {identity.email} · {identity.emailVerified ? 'verified by the provider' : 'not verified by the provider'} · linked <TimeAgo date={identity.createdAt} now={now} /> · last used <TimeAgo date={identity.lastSignInAt} now={now} />
                  </span>
                  <span className="block break-all text-xs text-slate-500">{identity.issuer}</span>
                </span>
                {identities.length > 1 && <UnlinkSignInButton org={org} identityId={identity.id} label={label} />}
              </li>
            );
          })}
        </ul>
        <div className="flex flex-wrap gap-2">
          <LinkAnotherSignInButton org={org} providerId="oidc" providerName={platformName} />
          {connections.map((connection) => <LinkAnotherSignInButton key={connection.id} org={org} providerId={ssoProviderId(connection.id)} providerName={connection.name} />)}
        </div>
      </Card>
    </div>
  );
}
