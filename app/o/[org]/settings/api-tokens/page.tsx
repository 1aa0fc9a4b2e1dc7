import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listApiTokens } from '@/lib/services/orgs/api-token-admin';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { revokeApiTokenAction } from '../actions';
import { ActionButton } from '../_components/action-button';
import { CreateApiTokenForm } from '../_components/create-api-token-form';
import { ROLE_LABELS } from '../_components/roles';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

export default async function ApiTokensPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'apitoken.manage')) {
    return <Card title="API tokens"><p className="text-sm text-slate-600">Owners and admins create and revoke this organization&apos;s API tokens.</p></Card>;
  }
  const tokens = await listApiTokens(ctx);
  const now = new Date();
  return (
    <div className="grid gap-4">
      <Card title="Create an API token"><CreateApiTokenForm org={org} /></Card>
      <Card title={`Tokens (${tokens.length})`}>
        {tokens.length === 0 ? <p className="text-sm text-slate-500">No API tokens yet.</p> : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API tokens of this organization</caption>
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4">Name</th>
                  <th scope="col" className="pr-4">Role</th>
                  <th scope="col" className="hidden pr-4 sm:table-cell">Created</th>
                  <th scope="col" className="pr-4">Last used</th>
                  <th scope="col" className="hidden pr-4 md:table-cell">Expires</th>
                  <th scope="col"><span className="sr-only">Status or action</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((token) => {
                  const expired = token.expiresAt !== null && token.expiresAt < now;
                  return (
                    <tr key={token.id} className={token.revokedAt || expired ? 'text-slate-500' : undefined}>
                      <td className="py-2 pr-4"><span className="block font-medium">{token.name}</span><code className="text-xs">{token.prefix}…</code></td>
                      <td className="pr-4">{ROLE_LABELS[token.role]}</td>
                      <td className="hidden pr-4 sm:table-cell"><TimeAgo date={token.createdAt} now={now} /></td>
                      <td className="pr-4"><TimeAgo date={token.lastUsedAt} now={now} /></td>
                      <td className="hidden pr-4 md:table-cell">{token.expiresAt ? <TimeAgo date={token.expiresAt} now={now} /> : 'never'}</td>
                      <td className="py-2 text-right">
                        {token.revokedAt ? <span className="text-xs">revoked <TimeAgo date={token.revokedAt} now={now} /></span>
                          : expired ? <span className="text-xs">expired</span>
                          : <ActionButton org={org} action={revokeApiTokenAction} input={{ tokenId: token.id }} label="Revoke" accessibleLabel={`Revoke the token ${token.name}`} confirm={`Revoke “${token.name}”? Integrations using it stop working at once.`} />}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
