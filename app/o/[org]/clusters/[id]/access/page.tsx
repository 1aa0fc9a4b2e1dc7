import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { isAppError } from '@/lib/platform/errors';
import { accessOverview, compareAccess, whatCanAt, whoCanAt, type CompareAnswer, type WhatCanAnswer, type WhoCanAnswer } from '@/lib/services/access/explore';
import { Card } from '@/app/_components/card';
import { PageHeader } from '@/app/_components/page-header';
import { Field, SelectField } from '@/app/_components/field';
import { Chain, RiskBadges, scopeText } from './chain';

export const metadata: Metadata = { title: 'Access' };
export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const TABS = [
  { id: 'who', label: 'Who can' },
  { id: 'what', label: 'What can' },
  { id: 'compare', label: 'Compare' },
] as const;
type Tab = (typeof TABS)[number]['id'];

function one(search: Search, key: string): string {
  const value = search[key];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** The non-empty fields of a form, as the service's query (empty fields mean "not given"). */
function given(search: Search, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, one(search, key)]).filter(([, value]) => value !== ''));
}

type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; issues: { path: string; message: string }[] } | null;

/** A question's answer, or the reason it has none (bad field, no snapshot at that date) shown on the page. */
async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (isAppError(error) && (error.code === 'invalid' || error.code === 'not_found')) return { ok: false, message: error.message, issues: error.issues };
    throw error;
  }
}

const issueOf = (outcome: Outcome<unknown>, field: string) => (outcome && !outcome.ok ? outcome.issues.find((i) => i.path === field)?.message : undefined);
const dateOf = (date: Date | string) => new Date(date).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export default async function AccessPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<Search> }) {
  const { org, id } = await params;
  const search = await searchParams;
  const ctx = await requireOrgContext(org);
  const overview = await orNotFound(accessOverview(ctx, id));
  const tab: Tab = (TABS.find((t) => t.id === one(search, 'tab'))?.id ?? 'who') as Tab;
  const asked = one(search, 'ask') === '1';
  const base = `/o/${org}/clusters/${id}/access`;

  const who = tab === 'who' && asked ? await attempt(() => whoCanAt(ctx, id, given(search, ['verb', 'resource', 'subresource', 'name', 'namespace', 'apiGroup', 'at']) as never)) : null;
  const what = tab === 'what' && asked ? await attempt(() => whatCanAt(ctx, id, given(search, ['kind', 'name', 'namespace', 'at']) as never)) : null;
  const compare = tab === 'compare' && asked ? await attempt(() => compareAccess(ctx, id, given(search, ['from', 'to', 'otherCluster']) as never)) : null;
  const failed = [who, what, compare].find((o) => o && !o.ok) as Extract<Outcome<unknown>, { ok: false }> | undefined;
  const range = overview.first
    ? `Evaluated snapshots from ${dateOf(overview.first)} to ${dateOf(overview.points[0]?.collectedAt ?? overview.first)}. A date picks the latest snapshot on or before it; empty: the latest.`
    : 'No evaluated snapshot yet: answers appear after the agent\'s first snapshot is evaluated.';

  return (
    <>
      <PageHeader
        title={`Access: ${overview.cluster.name}`}
        description="Who can do what in this cluster, from its RBAC as the API server resolves it: aggregated ClusterRoles, wildcards, groups and RoleBinding scoping included."
        actions={<Link href={`/o/${org}/clusters/${id}`} className="text-sm font-medium text-brand-600 hover:underline">← Cluster</Link>}
      />
      <nav aria-label="Access questions" className="mb-4 flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <Link key={t.id} href={`${base}?tab=${t.id}`} aria-current={t.id === tab ? 'page' : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${t.id === tab ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}>
            {t.label}
          </Link>
        ))}
      </nav>

      <Card>
        <form method="get" action={base} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" aria-label={`${TABS.find((t) => t.id === tab)?.label} question`}>
          <input type="hidden" name="tab" value={tab} />
          <input type="hidden" name="ask" value="1" />
          {tab === 'who' && (
            <>
              <Field id="access-verb" name="verb" label="Verb" required defaultValue={one(search, 'verb') || 'get'} hint="get, list, create, delete, escalate… any verb" error={issueOf(who, 'verb')} />
              <Field id="access-resource" name="resource" label="Resource" required defaultValue={one(search, 'resource') || 'secrets'} hint="plural: secrets, pods, pods/exec" error={issueOf(who, 'resource')} />
              <Field id="access-namespace" name="namespace" label="Namespace" defaultValue={one(search, 'namespace')} list="access-namespaces" hint="empty: any namespace" error={issueOf(who, 'namespace')} />
              <Field id="access-at" name="at" type="date" label="As of" defaultValue={one(search, 'at')} error={issueOf(who, 'at')} />
              <Field id="access-subresource" name="subresource" label="Subresource" defaultValue={one(search, 'subresource')} hint="exec, log, token…" error={issueOf(who, 'subresource')} />
              <Field id="access-name" name="name" label="Object name" defaultValue={one(search, 'name')} hint="rules limited to names count only for it" error={issueOf(who, 'name')} />
              <Field id="access-group" name="apiGroup" label="API group" defaultValue={one(search, 'apiGroup')} hint="empty: core; apps, batch…" error={issueOf(who, 'apiGroup')} />
            </>
          )}
          {tab === 'what' && (
            <>
              <SelectField id="access-kind" name="kind" label="Subject kind" defaultValue={one(search, 'kind') || 'ServiceAccount'} error={issueOf(what, 'kind')}>
                <option value="ServiceAccount">ServiceAccount</option>
                <option value="User">User</option>
                <option value="Group">Group</option>
              </SelectField>
              <Field id="access-subject" name="name" label="Name" required defaultValue={one(search, 'name')} error={issueOf(what, 'name')} />
              <Field id="access-namespace" name="namespace" label="Namespace" defaultValue={one(search, 'namespace')} list="access-namespaces" hint="a ServiceAccount's namespace" error={issueOf(what, 'namespace')} />
              <Field id="access-at" name="at" type="date" label="As of" defaultValue={one(search, 'at')} error={issueOf(what, 'at')} />
            </>
          )}
          {tab === 'compare' && (
            <>
              <Field id="access-from" name="from" type="date" label="From" defaultValue={one(search, 'from')} hint="the snapshot in force that day" error={issueOf(compare, 'from')} />
              <Field id="access-to" name="to" type="date" label="To" defaultValue={one(search, 'to')} hint="empty: the latest" error={issueOf(compare, 'to')} />
              <Field id="access-other" name="otherCluster" label="Or another cluster's id" defaultValue={one(search, 'otherCluster')} hint="compares this cluster with it" error={issueOf(compare, 'otherCluster')} />
            </>
          )}
          <div className="flex items-end sm:col-span-2 lg:col-span-4">
            <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">{tab === 'compare' ? 'Compare' : 'Ask'}</button>
          </div>
          <datalist id="access-namespaces">{overview.namespaces.map((ns) => <option key={ns} value={ns} />)}</datalist>
        </form>
        <p className="mt-3 text-xs text-slate-500" data-testid="access-range">{range}</p>
      </Card>

      {failed && <p role="alert" data-testid="access-error" className="mt-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">{failed.message}</p>}
      {who?.ok && <WhoCanResult answer={who.value} />}
      {what?.ok && <WhatCanResult answer={what.value} />}
      {compare?.ok && <CompareResult answer={compare.value} />}
    </>
  );
}

function AnsweredFrom({ at }: { at: { collectedAt: Date; snapshotId: string } }) {
  return <p className="mb-2 text-xs text-slate-500" data-testid="access-answered-from">Answered from the snapshot collected {dateOf(at.collectedAt)}.</p>;
}

function WhoCanResult({ answer }: { answer: WhoCanAnswer }) {
  const q = answer.question;
  const where = q.namespace ? `in namespace ${q.namespace}` : 'in any namespace';
  return (
    <section className="mt-4" aria-label="Who can" data-testid="who-can-result">
      <h2 className="mb-1 text-base font-semibold text-slate-900">
        {answer.subjects.length === 0 ? 'Nobody' : `${answer.subjects.length} subject${answer.subjects.length === 1 ? '' : 's'}`} can {q.verb} {q.resource}{q.apiGroup ? ` (${q.apiGroup})` : ''}{q.name ? ` named ${q.name}` : ''} {where}
      </h2>
      <AnsweredFrom at={answer.at} />
      <ul className="space-y-2">
        {answer.subjects.map((s) => (
          <li key={s.description} className="rounded-lg border border-slate-200 bg-white p-3" data-testid="who-can-subject">
            <p className="font-medium text-slate-900">{s.description}{s.rights.some((r) => r.grant.subjectMissing) && <span className="ml-2 text-xs font-normal text-amber-800">(does not exist yet: whoever creates it gets these rights)</span>}</p>
            <ul className="mt-2 space-y-2">
              {s.rights.map((r, i) => (
                <li key={i} className="space-y-1">
                  <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600"><span>{scopeText(r.grant.scope)}</span>{r.onlyNames && <span className="text-slate-700">only {r.onlyNames.join(', ')}</span>}<RiskBadges labels={r.riskLabels} /></div>
                  <Chain grant={r.grant} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function WhatCanResult({ answer }: { answer: WhatCanAnswer }) {
  return (
    <section className="mt-4" aria-label="What can" data-testid="what-can-result">
      <h2 className="mb-1 text-base font-semibold text-slate-900">What {answer.description} can do</h2>
      <p className="mb-1 text-xs text-slate-500">Bound as: {answer.actingAs.map((a) => a.description).join(' · ')}</p>
      <AnsweredFrom at={answer.at} />
      {answer.namespaces.length === 0 && <p className="text-sm text-slate-600">No binding grants it anything.</p>}
      {answer.namespaces.map((group) => (
        <div key={group.namespace ?? ''} className="mb-3 rounded-lg border border-slate-200 bg-white p-3">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">
            {group.namespace ? `Namespace ${group.namespace}` : 'Cluster-wide (every namespace and cluster-scoped resources)'}
            {group.dangerous > 0 && <span className="ml-2 text-xs font-medium text-red-800">{group.dangerous} dangerous</span>}
          </h3>
          <ul className="space-y-2">
            {group.entries.map((e, i) => (
              <li key={i} className="space-y-1">
                <RiskBadges labels={e.riskLabels} />
                <Chain grant={e.grant} through={e.through ? `${e.through.kind} ${e.through.name}` : undefined} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function CompareResult({ answer }: { answer: CompareAnswer }) {
  const side = (s: CompareAnswer['from']) => `${s.cluster.name} at ${dateOf(s.at.collectedAt)}`;
  const right = (c: CompareAnswer['subjects'][number]['gained'][number]) =>
    `${c.right.verb} ${c.right.resource ?? c.right.nonResourceURL ?? ''}${c.right.resourceName ? ` named ${c.right.resourceName}` : ''}${c.right.apiGroup ? ` (${c.right.apiGroup})` : ''} ${scopeText(c.right.scope)}`;
  return (
    <section className="mt-4" aria-label="Compare" data-testid="compare-result">
      <h2 className="mb-1 text-base font-semibold text-slate-900">From {side(answer.from)} to {side(answer.to)}</h2>
      {answer.subjects.length === 0 && <p className="text-sm text-slate-600">No subject gained or lost a right.</p>}
      <ul className="space-y-2">
        {answer.subjects.map((s) => (
          <li key={s.description} className="rounded-lg border border-slate-200 bg-white p-3">
            <p className="font-medium text-slate-900">{s.description} <span className="text-xs font-normal text-slate-600">+{s.gainedCount} / −{s.lostCount}</span></p>
            <RiskBadges labels={s.gainedRisks} />
            <ul className="mt-1 space-y-0.5 font-mono text-xs">
              {s.gained.map((c, i) => <li key={`g${i}`} className="break-words text-emerald-800">+ {right(c)}</li>)}
              {s.lost.map((c, i) => <li key={`l${i}`} className="break-words text-red-800">− {right(c)}</li>)}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
