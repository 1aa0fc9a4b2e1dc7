import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { isAppError } from '@/lib/platform/errors';
import { listFindingsPage } from '@/lib/services/findings/list-findings';
import { listSavedViews } from '@/lib/services/findings/saved-views';
import { isAssignableRole } from '@/lib/services/findings/assignable';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { listMembers } from '@/lib/services/orgs/members';
import { listTeams } from '@/lib/services/orgs/teams';
import { findFramework, frameworkIdsForCis, frameworkTitle, type Framework } from '@/lib/analysis/frameworks';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { StatusBadge } from '@/app/_components/status-badge';
import { TimeAgo } from '@/app/_components/time-ago';
import { DueDate } from '@/app/_components/due-date';
import { buttonStyles } from '@/app/_components/button-styles';
import { hrefWith } from '@/app/_components/query-href';
import { personName } from '@/app/_components/person-name';
import { dayAfter } from '@/app/_components/date-format';
import { BulkActions } from './_components/bulk-actions';
import { jiraReady } from '@/lib/services/jira/connection';
import { RowCheckbox, SelectAllCheckbox, SelectionProvider } from './_components/selection';
import { FindingFilters } from './_components/finding-filters';
import { ImportedMarker } from './_components/imported-marker';
import { QuickViews } from './_components/quick-views';
import { SavedViews } from './_components/saved-views';
import { SortHeader } from './_components/sort-header';
import { PageNumbers, rangeLabel } from './_components/page-numbers';
import { hasFilters, parseFindingsPageQuery, toListQuery, toSearch } from './_components/query';

export const metadata: Metadata = { title: 'Findings' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 25;
const SORT_NAMES = {
  severity: 'severity', control: 'control', resource: 'resource', cluster: 'cluster', status: 'status', assignee: 'assignee', dueAt: 'due date', lastSeenAt: 'last seen',
} as const;

export default async function FindingsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  // The organization's frameworks: its CIS version only (Settings → Benchmark), ISO and NSA.
  const cis = await getCisBenchmark(ctx);
  const organizationFrameworks = frameworkIdsForCis(cis.version).map((id) => findFramework(id)).filter((f): f is Framework => f !== undefined);
  const query = parseFindingsPageQuery(await searchParams, organizationFrameworks);
  const base = `/o/${org}/findings`;
  const now = new Date();
  // The requirement named its framework: say so in the URL, so the tabs, the form and the address agree.
  if (query.frameworkInferred) redirect(hrefWith(base, toSearch(query)));

  const empty = { items: [], total: 0, page: query.page, pageCount: 1 };
  const [clusters, { members }, teams, savedViews, result] = await Promise.all([
    listClusters(ctx),
    listMembers(ctx),
    listTeams(ctx),
    listSavedViews(ctx),
    // A filter that cannot run as asked (a requirement no framework has) lists nothing and says why, rather than
    // dropping the filter and listing more than was asked for; one the service refuses says why too, never a 500.
    query.problem ? Promise.resolve({ ...empty, error: null }) : listFindingsPage(ctx, toListQuery(query, PAGE_SIZE), now).then(
      (page) => ({ ...page, error: null }),
      (error: unknown) => {
        if (isAppError(error) && error.code === 'invalid') return { ...empty, error: error.message };
        throw error;
      },
    ),
  ]);
  // Past the last page (the list shrank since the link was made): the last page there is.
  if (result.items.length === 0 && result.total > 0 && query.page > result.pageCount) redirect(hrefWith(base, { ...toSearch(query), page: result.pageCount > 1 ? result.pageCount : undefined }));

  const permissions = {
    acknowledge: can(ctx, 'finding.acknowledge'), assign: can(ctx, 'finding.assign'),
    comment: can(ctx, 'finding.comment'), ticket: can(ctx, 'ticket.manage'),
    jira: can(ctx, 'jira.create') && await jiraReady(ctx),
  };
  const selectable = Object.values(permissions).some(Boolean);
  const search = toSearch(query);
  const memberOptions = members.map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }));
  // Findings go only to people who can act on them; the filter still lists everyone (older assignments).
  const assignableOptions = members.filter((m) => isAssignableRole(m.role)).map((m) => ({ id: m.userId, label: m.name ? `${m.name} (${m.email})` : m.email }));
  const currentQuery = hrefWith('', { ...search, page: undefined }).replace(/^\?/, '');
  const sortProps = { base, query, search };
  const teamOptions = teams.map((t) => ({ id: t.id, label: t.name }));
  const frameworks = organizationFrameworks.map((f) => ({ id: f.id, name: frameworkTitle(f.id), requirements: f.requirements.map((r) => ({ id: r.id, title: r.title })) }));
  const filtered = hasFilters(query);

  return (
    <>
      <PageHeader title="Findings" description="Every problem the controls found on your clusters, with who owns it and by when." />
      <QuickViews base={base} query={query} />
      <SavedViews org={org} base={base} currentQuery={currentQuery} views={savedViews.map((v) => ({ id: v.id, name: v.name, query: v.query }))} />
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
          {result.error} <Link href={hrefWith(base, { ...search, page: undefined })} className="font-medium underline">First page</Link>
        </div>
      )}

      {result.items.length === 0 && !result.error ? (
        clusters.length === 0 ? (
          <EmptyState title="No findings yet" action={can(ctx, 'cluster.manage') ? <Link href={`/o/${org}/clusters/new`} className={buttonStyles.primary}>Add a cluster</Link> : null}>
            Findings appear here once a cluster is connected and its first snapshot is evaluated.
            {!can(ctx, 'cluster.manage') && ' Ask an owner or admin of this organization to add a cluster.'}
          </EmptyState>
        ) : filtered || query.page > 1 ? (
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
          {selectable && <BulkActions org={org} can={permissions} members={assignableOptions} teams={teamOptions} today={dayAfter(now, 0)} />}
          <p className="mb-2 text-sm text-slate-600" aria-live="polite">
            <span className="font-medium text-slate-800">{rangeLabel(result.page, PAGE_SIZE, result.total, result.items.length)}</span> findings
          </p>
          <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
            <table className="w-full min-w-[56rem] text-left text-sm">
              <caption className="sr-only">Findings, sorted by {SORT_NAMES[query.sort]}, {query.dir === 'asc' ? 'ascending' : 'descending'}</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
                <tr>
                  {selectable && <th scope="col" className="w-10 py-2 pl-4"><SelectAllCheckbox /></th>}
                  <SortHeader column="severity" label="Severity" {...sortProps} className={`pr-3 ${selectable ? '' : 'pl-4'}`} />
                  <SortHeader column="control" label="Control" {...sortProps} className="pr-3" />
                  <SortHeader column="resource" label="Resource" {...sortProps} className="pr-3" />
                  <SortHeader column="cluster" label="Cluster" {...sortProps} className="pr-3" />
                  <SortHeader column="status" label="Status" {...sortProps} className="pr-3" />
                  <SortHeader column="assignee" label="Assignee" {...sortProps} className="pr-3" />
                  <SortHeader column="dueAt" label="Due" {...sortProps} className="pr-3" />
                  <SortHeader column="lastSeenAt" label="Last seen" {...sortProps} className="pr-4" />
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
                        {finding.custom && <span className="ml-1.5 rounded bg-violet-50 px-1 py-0.5 text-xs whitespace-nowrap text-violet-900" data-testid="custom-control-marker">custom{finding.custom.version !== null ? ` · v${finding.custom.version}` : ''}</span>}
                        <ImportedMarker controlId={finding.controlId} />
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
      <PageNumbers label="Findings pages" base={base} search={search} page={result.page} pageCount={result.pageCount} />
    </>
  );
}
