import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { isAppError } from '@/lib/platform/errors';
import { listAuditLog } from '@/lib/services/audit/list-audit';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { Forbidden } from '@/app/_components/forbidden';
import { KeysetPager } from '@/app/_components/keyset-pager';
import { buttonStyles } from '@/app/_components/button-styles';
import { compactInputStyles } from '@/app/_components/form-styles';
import { hrefWith } from '@/app/_components/query-href';
import { dayAfter, formatDateTime } from '@/app/_components/date-format';
import { AuditDiff } from './_components/audit-diff';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 100;
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(value))).optional().catch(undefined);
const QuerySchema = z.object({
  action: z.string().trim().min(1).max(100).optional().catch(undefined),
  actor: z.string().trim().min(1).max(320).optional().catch(undefined),
  from: day,
  to: day,
  cursor: z.string().regex(/^\d{1,12}$/).optional().catch(undefined),
});
const ACTION_PREFIXES = ['finding.', 'risk_acceptance.', 'exception.', 'ticket.', 'cluster.', 'membership.', 'invitation.', 'team.', 'sign_in.', 'audit.'];

/** Where an entry's target lives in the app, when it has a page. */
function targetHref(org: string, type: string | null, id: string | null): string | null {
  if (!id) return null;
  if (type === 'Finding') return `/o/${org}/findings/${id}`;
  if (type === 'Ticket') return `/o/${org}/tickets/${id}`;
  if (type === 'Cluster') return `/o/${org}/clusters/${id}`;
  return null;
}

export default async function AuditPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'audit.read')) return <Forbidden what="read the audit log" />;
  const query = QuerySchema.parse(await searchParams);
  const base = `/o/${org}/audit`;
  // Dates are whole UTC days, both ends included: `to` is the start of the next day, exclusive.
  const filters = {
    action: query.action, actor: query.actor,
    from: query.from ? `${query.from}T00:00:00Z` : undefined,
    to: query.to ? `${dayAfter(new Date(`${query.to}T00:00:00Z`), 1)}T00:00:00Z` : undefined,
  };
  const result = await listAuditLog(ctx, { ...filters, cursor: query.cursor, limit: PAGE_SIZE }).then(
    (page) => ({ ...page, error: null }),
    (error: unknown) => {
      if (isAppError(error) && error.code === 'invalid') return { items: [], nextCursor: null, error: error.message };
      throw error;
    },
  );
  const search = { action: query.action, actor: query.actor, from: query.from, to: query.to };
  const filtered = Boolean(query.action || query.actor || query.from || query.to);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in this organization and every sign-in to it, newest first. Entries are hash-chained and never edited."
        actions={<a href={hrefWith(`/api/v1/orgs/${org}/audit/export`, filters)} className={buttonStyles.secondary} download>Export CSV</a>}
      />
      <form method="get" action={base} aria-label="Filter the audit log" className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
        <div>
          <label htmlFor="a-action" className="mb-1 block text-xs font-medium text-slate-700">Action (or prefix)</label>
          <input id="a-action" name="action" list="a-actions" defaultValue={query.action ?? ''} placeholder="finding." className={compactInputStyles} />
          <datalist id="a-actions">{ACTION_PREFIXES.map((prefix) => <option key={prefix} value={prefix} />)}</datalist>
        </div>
        <div>
          <label htmlFor="a-actor" className="mb-1 block text-xs font-medium text-slate-700">Actor</label>
          <input id="a-actor" name="actor" defaultValue={query.actor ?? ''} placeholder="email, user id or system:…" className={compactInputStyles} />
        </div>
        <div>
          <label htmlFor="a-from" className="mb-1 block text-xs font-medium text-slate-700">From (UTC)</label>
          <input id="a-from" name="from" type="date" defaultValue={query.from ?? ''} className={compactInputStyles} />
        </div>
        <div>
          <label htmlFor="a-to" className="mb-1 block text-xs font-medium text-slate-700">To (UTC, included)</label>
          <input id="a-to" name="to" type="date" defaultValue={query.to ?? ''} className={compactInputStyles} />
        </div>
        <button type="submit" className={buttonStyles.secondary}>Filter</button>
        {filtered && <Link href={base} className={buttonStyles.link}>Clear</Link>}
      </form>

      {result.error && <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">{result.error}</p>}
      {result.items.length === 0 ? (
        <EmptyState title={filtered ? 'No entry matches' : 'Nothing recorded yet'} action={filtered ? <Link href={base} className={buttonStyles.secondary}>Clear filters</Link> : null}>
          {filtered ? 'An action filter matches from the start ("finding." matches every finding action). The actor is an exact email, user id or label.' : 'Changes made by members, API tokens and Bulwark itself appear here.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full min-w-[60rem] text-left text-sm">
            <caption className="sr-only">Audit log entries, newest first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pl-4 pr-3">Seq</th><th scope="col" className="pr-3">Time</th><th scope="col" className="pr-3">Actor</th>
                <th scope="col" className="pr-3">Action</th><th scope="col" className="pr-3">Target</th><th scope="col" className="pr-4">Change</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {result.items.map((entry) => {
                const href = targetHref(org, entry.targetType, entry.targetId);
                return (
                  <tr key={entry.id} className="align-top">
                    <td className="py-2 pl-4 pr-3 tabular-nums text-slate-500">{entry.seq}</td>
                    <td className="py-2 pr-3 whitespace-nowrap"><time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time></td>
                    <td className="max-w-48 py-2 pr-3 break-all">{entry.actorLabel}<span className="block text-xs text-slate-500">{entry.actorType}{entry.ip ? ` · ${entry.ip}` : ''}</span>
                      {entry.action.startsWith('sign_in.') && entry.userAgent && <span className="block truncate text-xs text-slate-500" title={entry.userAgent}>{entry.userAgent}</span>}
                    </td>
                    <td className="py-2 pr-3"><code className="text-xs">{entry.action}</code></td>
                    <td className="max-w-48 py-2 pr-3 break-all text-xs">
                      {entry.targetType ?? '–'}
                      {entry.targetId && (href ? <Link href={href} className="block text-brand-700 hover:underline">{entry.targetId}</Link> : <span className="block text-slate-500">{entry.targetId}</span>)}
                    </td>
                    <td className="max-w-md py-2 pr-4"><AuditDiff before={entry.before} after={entry.after} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager
        label="Audit log pages"
        firstHref={query.cursor ? hrefWith(base, search) : null}
        nextHref={result.nextCursor ? hrefWith(base, { ...search, cursor: result.nextCursor }) : null}
      />
    </>
  );
}
