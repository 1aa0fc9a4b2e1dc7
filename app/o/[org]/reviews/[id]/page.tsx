import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { can } from '@/lib/platform/auth/permissions';
import { isUuid } from '@/lib/platform/input';
import { getCampaign } from '@/lib/services/reviews/campaigns';
import { listItems } from '@/lib/services/reviews/items';
import { ITEM_FILTERS, type ItemFilter } from '@/lib/services/reviews/schemas';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { Forbidden } from '@/app/_components/forbidden';
import { hrefWith } from '@/app/_components/query-href';
import { ReviewItems, type ItemRow } from './_components/review-items';
import { SignOffForm } from './_components/sign-off-form';

export const metadata: Metadata = { title: 'Access review' };
export const dynamic = 'force-dynamic';

const FILTER_LABELS: Record<ItemFilter, string> = { all: 'All', undecided: 'Undecided', mine: 'Mine', privileged: 'Privileged', new: 'New', kept: 'Kept', revoked: 'Revoked', overdue: 'Overdue' };
const day = (date: Date) => date.toISOString().slice(0, 10);

export default async function ReviewPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org, id } = await params;
  const raw = await searchParams;
  const query = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value])) as Record<string, string | undefined>;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'access_review.read')) return <Forbidden what="see access reviews" />;
  if (!isUuid(id)) notFound();
  const filter = (ITEM_FILTERS as readonly string[]).includes(query.filter ?? '') ? (query.filter as ItemFilter) : 'all';
  const clusterId = query.cluster && isUuid(query.cluster) ? query.cluster : undefined;
  const campaign = await orNotFound(getCampaign(ctx, id));
  const page = await listItems(ctx, id, { filter, clusterId, q: query.q?.slice(0, 200) || undefined, limit: 200 });
  const reviewerLabel = new Map(campaign.reviewers.map((r) => [r.userId ?? `team:${r.teamId}`, r.label]));
  const rows: ItemRow[] = page.items.map((item) => ({
    id: item.id, cluster: item.clusterName,
    subject: `${item.subjectKind} ${item.subjectNamespace ? `${item.subjectNamespace}/` : ''}${item.subjectName}`,
    right: item.right, risks: item.risks, privileged: item.privileged, isNew: item.isNew,
    chain: item.chain.map((c) => `${c.binding} → ${c.role}${c.aggregatedFrom ? ` (aggregated from ${c.aggregatedFrom.join(' > ')})` : ''}`).join('; '),
    reviewer: (item.reviewerUserId ? reviewerLabel.get(item.reviewerUserId) : item.reviewerTeamId ? reviewerLabel.get(`team:${item.reviewerTeamId}`) : null) ?? 'Unassigned',
    decision: item.decision, reason: item.reason, decidedBy: item.decidedByLabel, decidedAt: item.decidedAt?.toISOString() ?? null,
    revocation: item.revocationStatus === 'done' ? 'done' : item.revocationOverdue ? 'overdue' : item.revocationStatus === 'open' ? 'open' : null,
    revocationClosedAt: item.revocationClosedAt?.toISOString() ?? null,
    mayDecide: item.mayDecide,
  }));
  const active = campaign.status === 'active';
  const own = page.items.filter((item) => item.ownAccess).length;
  const base = `/o/${org}/reviews/${id}`;

  return (
    <>
      <p className="mb-2 text-sm"><Link className="text-brand-600 hover:underline" href={`/o/${org}/reviews`}>Access reviews</Link></p>
      <PageHeader title={campaign.name} description={<>
        {campaign.scope === 'all' ? 'Every subject' : 'Privileged rights'} on {campaign.clusters.map((c) => c.name).join(', ')} · started {day(campaign.createdAt)} by {campaign.createdByLabel} · due {day(campaign.dueAt)}{campaign.recurrence === 'quarterly' ? ' · quarterly' : ''}
        {campaign.status === 'completed' ? <> · <strong className="text-emerald-700">signed off {campaign.completedAt ? day(campaign.completedAt) : ''} by {campaign.completedByLabel}</strong></> : campaign.overdue ? <> · <strong className="text-red-700">overdue</strong></> : null}
      </>} />
      <div className="space-y-6">
        <div className="grid gap-4 md:grid-cols-2">
          <Card title="Progress">
            <p className="text-sm">{campaign.progress.decided} of {campaign.progress.total} items decided: {campaign.progress.kept} kept, {campaign.progress.revoked} revoked ({campaign.progress.revocationsDone} carried out{campaign.progress.overdue > 0 ? `, ${campaign.progress.overdue} overdue` : ''}). {campaign.progress.newItems} new since the last completed review.</p>
            {campaign.summary && <p className="mt-2 text-sm"><span className="font-medium">Summary:</span> {campaign.summary}</p>}
          </Card>
          <Card title="Reviewers">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500"><tr><th scope="col" className="pr-4">Reviewer</th><th scope="col" className="pr-4">Decided</th></tr></thead>
              <tbody>
                {campaign.reviewers.map((r) => <tr key={r.key}><td className="pr-4">{r.label}</td><td className="pr-4">{r.decided} of {r.total}</td></tr>)}
              </tbody>
            </table>
          </Card>
        </div>
        {active && can(ctx, 'access_review.manage') && (
          <Card title="Sign off">
            <SignOffForm org={org} campaignId={id} />
          </Card>
        )}
        <Card title={`Items (${page.total})`}>
          <nav aria-label="Filter items" className="mb-3 flex flex-wrap gap-2 text-sm">
            {ITEM_FILTERS.map((f) => (
              <Link key={f} href={hrefWith(base, { filter: f === 'all' ? undefined : f, cluster: clusterId })} aria-current={f === filter ? 'page' : undefined}
                className={f === filter ? 'rounded-md bg-slate-900 px-2 py-1 text-white' : 'rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50'}>{FILTER_LABELS[f]}</Link>
            ))}
            {campaign.clusters.length > 1 && campaign.clusters.map((c) => (
              <Link key={c.id} href={hrefWith(base, { filter: filter === 'all' ? undefined : filter, cluster: c.id === clusterId ? undefined : c.id })} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-50" aria-current={c.id === clusterId ? 'page' : undefined}>{c.name}</Link>
            ))}
          </nav>
          {own > 0 && active && <p className="mb-2 text-sm text-amber-800">{own} item{own === 1 ? ' is' : 's are'} your own access: another reviewer decides {own === 1 ? 'it' : 'them'}.</p>}
          {rows.length === 0 ? <p className="text-sm text-slate-500">No items match.</p> : <ReviewItems org={org} campaignId={id} items={rows} active={active} />}
          {page.total > rows.length && <p className="mt-2 text-xs text-slate-500">Showing the first {rows.length} of {page.total}; filter to see the others.</p>}
        </Card>
      </div>
    </>
  );
}
