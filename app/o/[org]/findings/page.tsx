import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { isAppError } from '@/lib/platform/errors';
import { listFindings } from '@/lib/services/findings/list-findings';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { listMembers } from '@/lib/services/orgs/members';
import { listTeams } from '@/lib/services/orgs/teams';
import { FRAMEWORKS } from '@/lib/analysis/frameworks';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { StatusBadge } from '@/app/_components/status-badge';
import { TimeAgo } from '@/app/_components/time-ago';
import { DueDate } from '@/app/_components/due-date';
import { KeysetPager } from '@/app/_components/keyset-pager';
import { buttonStyles } from '@/app/_components/button-styles';
import { hrefWith } from '@/app/_components/query-href';
import { personName } from '@/app/_components/person-name';
import { dayAfter } from '@/app/_components/date-format';
import { BulkActions } from './_components/bulk-actions';
import { RowCheckbox, SelectAllCheckbox, SelectionProvider } from './_components/selection';
import { FindingFilters } from './_components/finding-filters';
import { QuickViews } from './_components/quick-views';
import { hasFilters, parseFindingsPageQuery, toListQuery, toSearch } from './_components/query';

export const metadata: Metadata = { title: 'Findings' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function FindingsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const query = parseFindingsPageQuery(await searchParams);
  const base = `/o/${org}/findings`;
  const now = new Date();
  // The requirement named its framework: say so in the URL, so the tabs, the form and the address agree.
  if (query.frameworkInferred) redirect(hrefWith(base, toSearch(query)));

  const [clusters, { members }, teams, result] = await Promise.all([
    listClusters(ctx),
    listMembers(ctx),
    listTeams(ctx),
    // A cursor from an old link (another sort, a tampered value) is an `invalid` error: say so, don't 500.
    // A filter that cannot run as asked (a requirement no framework has) lists nothing and says why, rather than
    // dropping the filter and listing more than was asked for.
    query.problem ? Promise.resolve({ items: [], nextCursor: null, error: null }) : listFindings(ctx, toListQuery(query, PAGE_SIZE), now).then(
      (page) => ({ ...page, error: null }),
      (error: unknown) => {
        if (isAppError(error) && error.code === 'invalid') return { items: [], nextCursor: null, error: error.message };
        throw error;
      },
    ),
  ]);

  const permissions = {
    acknowledge: can(ctx, 'finding.acknowledge'), assign: can(ctx, 'finding.assign'),
    comment: can(ctx, 'finding.comment'), ticket: can(ctx, 'ticket.manage'),
  };
  const selectable = Object.values(permissions).some(Boolean);
  const search = toSearch(query);
  const memberOptions = members.map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }));
  const teamOptions = teams.map((t) => ({ id: t.id, label: t.name }));
  const frameworks = FRAMEWORKS.map((f) => ({ id: f.id, name: f.name, requirements: f.requirements.map((r) => ({ id: r.id, title: r.title })) }));
  const filtered = hasFilters(query);

  return (
    <>
      <PageHeader title="Findings" description="Every problem the controls found on your clusters, with who owns it and by when." />
      <QuickViews base={base} query={query} />
      {/* Its inputs take their values from the URL; quick views and Apply are full page loads (quick-views.tsx). */}
      <FindingFilters
        base={base}
        query={query}
        clusters={clusters.map((c) => ({ id: c.id, label: c.name }))}
        members={memberOptions}
        teams={teamOptions}
        frameworks={frameworks}
      />

      {query.problem && (
        <div role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">{query.problem}</div>
      )}
      {result.error && (
        <div role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {result.error} <Link href={hrefWith(base, { ...search, cursor: undefined })} className="font-medium underline">First page</Link>
        </div>
      )}

      {result.items.length === 0 && !result.error ? (
        clusters.length === 0 ? (
          <EmptyState title="No findings yet" action={can(ctx, 'cluster.manage') ? <Link href={`/o/${org}/clusters/new`} className={buttonStyles.primary}>Add a cluster</Link> : null}>
            Findings appear here once a cluster is connected and its first snapshot is evaluated.
            {!can(ctx, 'cluster.manage') && ' Ask an owner or admin of this organization to add a cluster.'}
          </EmptyState>
        ) : filtered || query.cursor ? (
          <EmptyState title="No finding matches these filters" action={<Link href={base} className={buttonStyles.secondary}>Clear filters</Link>}>
            Widen the filters: choose another status (“Any status” includes resolved findings), fewer severities, or clear the search.
          </EmptyState>
        ) : (
          <EmptyState title="Nothing open. Well done." action={<Link href={hrefWith(base, { status: 'all' })} className={buttonStyles.secondary}>Show resolved and accepted findings</Link>}>
            Every finding is resolved or risk-accepted. New ones appear here after the next snapshot of a cluster is evaluated.
          </EmptyState>
        )
      ) : result.items.length > 0 && (
        <SelectionProvider key={JSON.stringify(search)} ids={result.items.map((item) => item.id)}>
          {selectable && <BulkActions org={org} can={permissions} members={memberOptions} teams={teamOptions} today={dayAfter(now, 0)} />}
          <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[56rem] text-left text-sm">
              <caption className="sr-only">Findings, sorted by {query.sort === 'severity' ? 'severity' : query.sort === 'dueAt' ? 'due date' : 'last seen'}</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  {selectable && <th scope="col" className="w-10 py-2 pl-4"><SelectAllCheckbox /></th>}
                  <th scope="col" className={`py-2 pr-3 ${selectable ? '' : 'pl-4'}`}>Severity</th>
                  <th scope="col" className="pr-3">Control</th>
                  <th scope="col" className="pr-3">Resource</th>
                  <th scope="col" className="pr-3">Cluster</th>
                  <th scope="col" className="pr-3">Status</th>
                  <th scope="col" className="pr-3">Assignee</th>
                  <th scope="col" className="pr-3">Due</th>
                  <th scope="col" className="pr-4">Last seen</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {result.items.map((finding) => {
                  const resource = `${finding.resourceKind} ${finding.resourceNamespace ? `${finding.resourceNamespace}/` : ''}${finding.resourceName}`;
                  const title = finding.controlTitle ?? finding.controlId;
                  return (
                    <tr key={finding.id} className="align-top hover:bg-slate-50">
                      {selectable && <td className="py-2.5 pl-4"><RowCheckbox id={finding.id} label={`${title} on ${resource}`} /></td>}
                      <td className={`py-2.5 pr-3 ${selectable ? '' : 'pl-4'}`}><SeverityBadge severity={finding.severity} /></td>
                      <td className="max-w-xs py-2.5 pr-3">
                        <Link href={`${base}/${finding.id}`} className="font-medium text-brand-700 hover:underline">{title}</Link>
                        {/* Two lines, not one: findings of one control on one resource differ only in their message (which verb, which subject). */}
                        <span className="line-clamp-2 text-xs text-slate-500" title={finding.message}>{finding.message}</span>
                      </td>
                      <td className="max-w-60 py-2.5 pr-3">
                        {/* The kind on its own line, whole: only long names may break anywhere. */}
                        <span className="block whitespace-nowrap text-xs text-slate-500">{finding.resourceKind}</span>
                        <span className="[overflow-wrap:anywhere]">{finding.resourceNamespace ? `${finding.resourceNamespace}/` : ''}{finding.resourceName}</span>
                      </td>
                      <td className="py-2.5 pr-3 whitespace-nowrap">{finding.clusterName}</td>
                      <td className="py-2.5 pr-3 whitespace-nowrap"><StatusBadge status={finding.status} /></td>
                      <td className="py-2.5 pr-3">
                        {finding.assigneeUser || finding.assigneeTeamName ? (
                          <>
                            {finding.assigneeUser && <span className="block">{personName(finding.assigneeUser)}</span>}
                            {finding.assigneeTeamName && <span className="block text-xs text-slate-600">team {finding.assigneeTeamName}</span>}
                          </>
                        ) : <span className="text-slate-500">unassigned</span>}
                      </td>
                      <td className="py-2.5 pr-3"><DueDate date={finding.dueAt} overdue={finding.isOverdue} /></td>
                      <td className="py-2.5 pr-4 whitespace-nowrap"><TimeAgo date={finding.lastSeenAt} now={now} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </SelectionProvider>
      )}
      <KeysetPager
        label="Findings pages"
        firstHref={query.cursor ? hrefWith(base, { ...search, cursor: undefined }) : null}
        nextHref={result.nextCursor ? hrefWith(base, { ...search, cursor: result.nextCursor }) : null}
      />
    </>
  );
}
