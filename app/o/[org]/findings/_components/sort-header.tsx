import { DEFAULT_SORT_DIRECTION, type FindingPageSort } from '@/lib/services/findings/schemas';
import { hrefWith, type QueryValue } from '@/app/_components/query-href';
import type { FindingsPageQuery } from './query';

/**
 * A column header that sorts the list by its column: the sorted column says which way (aria-sort and an arrow);
 * clicking it again turns the direction round; another column starts in its usual direction, on page 1. A plain
 * link, like the quick views: the sort is in the URL and in the filter form, and a full page load keeps them one.
 */
export function SortHeader({ column, label, base, query, search, className }: {
  column: FindingPageSort; label: string; base: string; query: FindingsPageQuery; search: Record<string, QueryValue>; className?: string;
}) {
  const active = query.sort === column;
  const next = active ? (query.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_SORT_DIRECTION[column];
  const href = hrefWith(base, {
    ...search, sort: column === 'severity' ? undefined : column, dir: next === DEFAULT_SORT_DIRECTION[column] ? undefined : next, page: undefined,
  });
  return (
    <th scope="col" aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined} className={className}>
      {/* Only the sorted column carries an arrow: the others take no more room than their name (1280 px fits every column). */}
      <a href={href} className={`inline-flex items-center gap-1 py-2 uppercase hover:text-slate-800 hover:underline ${active ? 'text-slate-800' : ''}`}>
        {label}
        {active && <span aria-hidden="true">{query.dir === 'asc' ? '▲' : '▼'}</span>}
        <span className="sr-only">{active ? `, sorted ${query.dir === 'asc' ? 'ascending' : 'descending'}; sort ${next === 'asc' ? 'ascending' : 'descending'}` : `, sort by ${label.toLowerCase()}`}</span>
      </a>
    </th>
  );
}
