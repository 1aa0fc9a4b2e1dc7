import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { campaignFormOptions, listCampaigns } from '@/lib/services/reviews/campaigns';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { Forbidden } from '@/app/_components/forbidden';
import { StartCampaignForm } from './_components/start-campaign-form';

export const metadata: Metadata = { title: 'Access reviews' };
export const dynamic = 'force-dynamic';

const day = (date: Date) => date.toISOString().slice(0, 10);

export default async function ReviewsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'access_review.read')) return <Forbidden what="see access reviews" />;
  const mayStart = can(ctx, 'access_review.manage');
  const [campaigns, options] = await Promise.all([listCampaigns(ctx), mayStart ? campaignFormOptions(ctx) : null]);
  const defaultDue = day(new Date(Date.now() + 14 * 86_400_000));

  return (
    <>
      <PageHeader title="Access reviews" description="Who can do what on your clusters, reviewed periodically: keep each right with a reason, or revoke it. Completed reviews are evidence in ISO 27001 reports (A.5.15, A.5.18, A.8.2)." />
      <div className="space-y-6">
        {campaigns.length === 0 ? (
          <EmptyState title="No access reviews yet" action={null}>
            {mayStart ? 'Start one below: Bulwark freezes the rights of each cluster\u2019s latest snapshot and asks the reviewers to decide.' : 'An owner or admin starts access reviews.'}
          </EmptyState>
        ) : (
          <Card title="Campaigns">
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <thead className="text-xs uppercase text-slate-500">
                  <tr><th scope="col" className="py-2 pr-4">Campaign</th><th scope="col" className="py-2 pr-4">Status</th><th scope="col" className="py-2 pr-4">Progress</th><th scope="col" className="py-2 pr-4">Revocations</th><th scope="col" className="py-2 pr-4">Due</th></tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {campaigns.map((c) => (
                    <tr key={c.id}>
                      <td className="py-2 pr-4"><Link className="font-medium text-brand-600 hover:underline" href={`/o/${org}/reviews/${c.id}`}>{c.name}</Link><div className="text-xs text-slate-500">{c.scope === 'all' ? 'Every subject' : 'Privileged rights'} · started {day(c.createdAt)} by {c.createdByLabel}</div></td>
                      <td className="py-2 pr-4">{c.status === 'completed' ? <span className="text-emerald-700">Signed off {c.completedAt ? day(c.completedAt) : ''}</span> : c.overdue ? <span className="font-medium text-red-700">Overdue</span> : 'In progress'}</td>
                      <td className="py-2 pr-4">{c.progress.decided} of {c.progress.total} decided{c.progress.newItems > 0 ? ` · ${c.progress.newItems} new` : ''}</td>
                      <td className="py-2 pr-4">{c.progress.revoked === 0 ? 'none' : `${c.progress.revocationsDone} of ${c.progress.revoked} carried out`}{c.progress.overdue > 0 ? <span className="text-red-700"> · {c.progress.overdue} overdue</span> : null}</td>
                      <td className="py-2 pr-4 whitespace-nowrap">{day(c.dueAt)}{c.recurrence === 'quarterly' ? ' · quarterly' : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
        {options && (
          <Card title="Start an access review">
            <StartCampaignForm org={org} clusters={options.clusters} members={options.members} teams={options.teams} defaultDue={defaultDue} />
          </Card>
        )}
      </div>
    </>
  );
}
