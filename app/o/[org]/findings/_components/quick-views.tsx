import { hrefWith } from '@/app/_components/query-href';
import { hasFilters, type FindingsPageQuery } from './query';

type View = { label: string; query: Record<string, string>; active: (q: FindingsPageQuery) => boolean };

const VIEWS: View[] = [
  { label: 'Open', query: {}, active: (q) => !hasFilters(q) },
  { label: 'My findings', query: { mine: '1' }, active: (q) => q.mine && !q.overdue },
  { label: 'Overdue', query: { overdue: '1' }, active: (q) => q.overdue && !q.mine },
  { label: 'Risk accepted', query: { status: 'RISK_ACCEPTED' }, active: (q) => q.status === 'RISK_ACCEPTED' },
  { label: 'Resolved', query: { status: 'RESOLVED', sort: 'lastSeenAt' }, active: (q) => q.status === 'RESOLVED' },
];

/** Saved filters everyone needs; each one replaces the current filters. */
export function QuickViews({ base, query }: { base: string; query: FindingsPageQuery }) {
  return (
    <nav aria-label="Quick views" className="mb-3 flex flex-wrap gap-2">
      {VIEWS.map((view) => {
        const active = view.active(query);
        return (
          // A plain link, like the filter form's GET: the filters are the URL, and a full page load renders the form
          // from it. A client-side navigation kept the old form's inputs (and, keyed to remount, left both forms
          // on the page).
          <a
            key={view.label}
            href={hrefWith(base, view.query)}
            aria-current={active ? 'page' : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ring-1 ring-inset ${active ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
          >
            {view.label}
          </a>
        );
      })}
    </nav>
  );
}
