import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { env } from '@/lib/platform/env';
import { listSsoConnections } from '@/lib/services/sso/connections';
import { listDomains } from '@/lib/services/sso/domains';
import { getSsoEnforcement } from '@/lib/services/sso/enforcement';
import { ssoProviderId } from '@/lib/services/sso/schemas';
import { Card } from '@/app/_components/card';
import { ConnectionForm } from './connection-form';
import { ConnectionItem } from './connection-item';
import { ClaimDomainForm, DomainItem } from './domain-forms';
import { EnforcementForm } from './enforcement-form';

export const metadata: Metadata = { title: 'Single sign-on' };
export const dynamic = 'force-dynamic';

export default async function SsoSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'sso.manage')) {
    return <Card title="Single sign-on"><p className="text-sm text-slate-600">Owners set up single sign-on, verified domains and enforcement.</p></Card>;
  }
  const [connections, domains, enforcement] = await Promise.all([listSsoConnections(ctx), listDomains(ctx), getSsoEnforcement(ctx)]);
  const appUrl = (env().NEXTAUTH_URL ?? env().APP_URL).replace(/\/$/, '');
  return (
    <div className="grid gap-4">
      <Card title={`SSO connections (${connections.length})`}>
        <p className="mb-2 text-sm text-slate-600">
          Your own OpenID Connect identity provider. People at your verified domains sign in through it, and its groups can grant roles (IdP groups tab).
        </p>
        {connections.length === 0 ? <p className="text-sm text-slate-500">No connection yet.</p> : (
          <ul className="divide-y divide-slate-100">
            {connections.map((c) => (
              <ConnectionItem key={c.id} org={org} connection={{
                id: c.id, name: c.name, issuer: c.issuer, clientId: c.clientId, scopes: c.scopes, groupClaim: c.groupClaim, enabled: c.enabled,
                redirectUri: `${appUrl}/api/auth/callback/${ssoProviderId(c.id)}`, secretRotatedAt: c.secretRotatedAt?.toISOString() ?? null,
                mappings: c._count.groupMappings, domains: c._count.domains,
              }} />
            ))}
          </ul>
        )}
      </Card>
      <Card title="Add a connection"><ConnectionForm org={org} /></Card>
      <Card title={`Verified domains (${domains.length})`}>
        <p className="mb-3 text-sm text-slate-600">Prove you own a domain with a DNS TXT record. A verified domain belongs to one organization only.</p>
        {domains.length > 0 && (
          <ul className="mb-4 divide-y divide-slate-100">
            {domains.map((d) => (
              <DomainItem key={d.id} org={org} connections={connections.filter((c) => c.enabled).map((c) => ({ id: c.id, name: c.name }))}
                domain={{ id: d.id, domain: d.domain, txtRecord: d.txtRecord, verifiedAt: d.verifiedAt?.toISOString() ?? null, connectionId: d.connectionId }} />
            ))}
          </ul>
        )}
        <ClaimDomainForm org={org} />
      </Card>
      <Card title="Enforcement">
        <p className="mb-3 text-sm text-slate-600">
          {enforcement.enforced ? 'On: ' : 'Off. When on, '}members reach this organization only when they signed in through one of its enabled connections
          ({enforcement.enabledConnections} now). API and agent tokens are not affected.
        </p>
        <EnforcementForm org={org} enforced={enforcement.enforced} breakGlassUserId={enforcement.breakGlassUserId} owners={enforcement.owners} />
      </Card>
    </div>
  );
}
