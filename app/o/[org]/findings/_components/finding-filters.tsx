import Link from 'next/link';
import { FINDING_PAGE_SORTS, SEVERITIES, type FindingPageSort, type FindingSource } from '@/lib/services/findings/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { compactInputStyles } from '@/app/_components/form-styles';
import { hasFilters, type FindingsPageQuery, type StatusChoice } from './query';

type Option = { id: string; label: string };
type Framework = { id: string; name: string; requirements: { id: string; title: string }[] };

const STATUS_LABELS: Record<StatusChoice, string> = {
  active: 'Open or acknowledged', OPEN: 'Open', ACKNOWLEDGED: 'Acknowledged', RISK_ACCEPTED: 'Risk accepted', RESOLVED: 'Resolved', all: 'Any status',
};
const SORT_LABELS: Record<FindingPageSort, string> = {
  severity: 'Severity', control: 'Control', resource: 'Resource', cluster: 'Cluster', status: 'Status', assignee: 'Assignee', dueAt: 'Due date', lastSeenAt: 'Last seen',
};
const SOURCE_LABELS: Record<FindingSource, string> = {
  catalog: 'Bulwark catalog', custom: "Organization's controls", imported: 'Imported (PolicyReports)', admission: "Cluster's admission policies",
};
const label = 'mb-1 block text-xs font-medium text-slate-700';

/** A plain GET form: filters live in the URL, so a filtered list can be bookmarked and shared, and works without JavaScript. */
export function FindingFilters({ base, query, clusters, members, teams, frameworks }: {
  base: string; query: FindingsPageQuery; clusters: Option[]; members: Option[]; teams: Option[]; frameworks: Framework[];
}) {
  const framework = frameworks.find((f) => f.id === query.framework);
  const requirements = framework ? framework.requirements : frameworks.flatMap((f) => f.requirements);
  return (
    <form method="get" action={base} className="mb-4 rounded-xl border border-slate-200 bg-white p-4" aria-label="Filter findings">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <div className="col-span-2 lg:col-span-1">
          <label htmlFor="f-q" className={label}>Search</label>
          <input id="f-q" name="q" type="search" defaultValue={query.q ?? ''} placeholder="resource, namespace or control" className={`${compactInputStyles} w-full`} />
        </div>
        <div>
          <label htmlFor="f-cluster" className={label}>Cluster</label>
          <select id="f-cluster" name="cluster" defaultValue={query.cluster ?? ''} className={`${compactInputStyles} w-full`}>
            <option value="">All clusters</option>
            {clusters.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-namespace" className={label}>Namespace</label>
          <input id="f-namespace" name="namespace" defaultValue={query.namespace ?? ''} placeholder="shop" className={`${compactInputStyles} w-full`} />
        </div>
        <div>
          <label htmlFor="f-status" className={label}>Status</label>
          <select id="f-status" name="status" defaultValue={query.status === 'active' ? '' : query.status} className={`${compactInputStyles} w-full`}>
            {(Object.keys(STATUS_LABELS) as StatusChoice[]).map((status) => <option key={status} value={status === 'active' ? '' : status}>{STATUS_LABELS[status]}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-resource" className={label}>Resource</label>
          <input id="f-resource" name="resource" defaultValue={query.resource ?? ''} placeholder="Node/node-1 or Deployment/shop/web" className={`${compactInputStyles} w-full`} />
        </div>
        <div>
          <label htmlFor="f-control" className={label}>Control id</label>
          <input id="f-control" name="control" defaultValue={query.control ?? ''} placeholder="workload.privileged-container" className={`${compactInputStyles} w-full`} />
        </div>
        <div>
          <label htmlFor="f-source" className={label}>Source</label>
          <select id="f-source" name="source" defaultValue={query.source ?? ''} className={`${compactInputStyles} w-full`}>
            <option value="">Any source</option>
            {(Object.keys(SOURCE_LABELS) as FindingSource[]).map((source) => <option key={source} value={source}>{SOURCE_LABELS[source]}</option>)}
          </select>
        </div>
        <div className="col-span-2 flex gap-2 lg:col-span-1">
          <div className="min-w-0 flex-1">
            <label htmlFor="f-framework" className={label}>Framework</label>
            <select id="f-framework" name="framework" defaultValue={query.framework ?? ''} className={`${compactInputStyles} w-full`}>
              <option value="">Any</option>
              {frameworks.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
            </select>
          </div>
          <div className="w-28">
            <label htmlFor="f-requirement" className={label}>Requirement</label>
            <input id="f-requirement" name="requirement" list="f-requirements" defaultValue={query.requirement ?? ''} placeholder="5.2.2" aria-describedby="f-requirement-help" className={`${compactInputStyles} w-full`} />
            <datalist id="f-requirements">
              {requirements.map((r) => <option key={r.id} value={r.id}>{r.title}</option>)}
            </datalist>
          </div>
        </div>
        <div>
          <label htmlFor="f-assignee" className={label}>Assignee</label>
          <select id="f-assignee" name="assignee" defaultValue={query.assignee ?? ''} className={`${compactInputStyles} w-full`}>
            <option value="">Anyone</option>
            {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-team" className={label}>Team</label>
          <select id="f-team" name="team" defaultValue={query.team ?? ''} className={`${compactInputStyles} w-full`}>
            <option value="">Any team</option>
            {teams.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
          </select>
        </div>
      </div>
      <p id="f-requirement-help" className="mt-1 text-xs text-slate-500">A requirement (CIS 5.2.2, ISO A.8.9, …) filters with its framework.</p>
      <div className="mt-3 flex flex-wrap items-end gap-x-5 gap-y-3">
        <fieldset className="flex flex-wrap items-center gap-3">
          <legend className="sr-only">Severity</legend>
          <span aria-hidden="true" className="text-xs font-medium text-slate-700">Severity</span>
          {SEVERITIES.map((severity) => (
            <label key={severity} className="inline-flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="severity" value={severity} defaultChecked={query.severity.includes(severity)} className="size-4 rounded border-slate-300" />
              {severity.charAt(0) + severity.slice(1).toLowerCase()}
            </label>
          ))}
        </fieldset>
        <label className="inline-flex items-center gap-1.5 text-sm">
          <input type="checkbox" name="mine" value="1" defaultChecked={query.mine} className="size-4 rounded border-slate-300" />
          Assigned to me or my teams
        </label>
        <label className="inline-flex items-center gap-1.5 text-sm">
          <input type="checkbox" name="overdue" value="1" defaultChecked={query.overdue} className="size-4 rounded border-slate-300" />
          Overdue only
        </label>
        {/* The same sort as the column headers: Apply keeps it (a header link sets both, in the URL). */}
        <div>
          <label htmlFor="f-sort" className={label}>Sort by</label>
          <select id="f-sort" name="sort" defaultValue={query.sort} className={compactInputStyles}>
            {FINDING_PAGE_SORTS.map((sort) => <option key={sort} value={sort}>{SORT_LABELS[sort]}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="f-dir" className={label}>Order</label>
          <select id="f-dir" name="dir" defaultValue={query.dir} className={compactInputStyles}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </div>
        <div className="ml-auto flex gap-2">
          {hasFilters(query) && <Link href={base} className={buttonStyles.secondary}>Clear</Link>}
          <button type="submit" className={buttonStyles.primary}>Apply filters</button>
        </div>
      </div>
    </form>
  );
}
