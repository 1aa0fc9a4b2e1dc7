import Link from 'next/link';
import { hrefWith, type QueryValue } from '@/app/_components/query-href';

const format = (n: number) => n.toLocaleString('en-US');

/** "26–50 of 1,234": the rows on this page and how many match, for the line above the table. */
export function rangeLabel(page: number, pageSize: number, total: number, shown: number): string {
  if (total === 0 || shown === 0) return `0 of ${format(total)}`;
  const first = (page - 1) * pageSize + 1;
  return `${format(first)}–${format(first + shown - 1)} of ${format(total)}`;
}

/** The page numbers to offer: the first, the last, and two either side of the current page, with gaps as null. */
export function pageWindow(page: number, pageCount: number): (number | null)[] {
  const pages = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...pages].sort((a, b) => a - b);
  return sorted.flatMap((p, i) => (i > 0 && p - sorted[i - 1]! > 1 ? [null, p] : [p]));
}

const cell = 'inline-flex min-w-9 items-center justify-center rounded-md px-2.5 py-1.5 text-sm';

/** Numbered pages with previous and next; every link keeps the filters and the sort (`search`). */
export function PageNumbers({ base, search, page, pageCount, label }: { base: string; search: Record<string, QueryValue>; page: number; pageCount: number; label: string }) {
  if (pageCount <= 1) return null;
  const href = (p: number) => hrefWith(base, { ...search, page: p > 1 ? p : undefined });
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center gap-1">
      {page > 1 ? <Link href={href(page - 1)} rel="prev" className={`${cell} border border-slate-300 bg-white hover:bg-slate-50`}>Previous</Link> : null}
      {pageWindow(page, pageCount).map((p, i) => p === null
        ? <span key={`gap-${i}`} aria-hidden="true" className="px-1 text-slate-500">…</span>
        : p === page
          ? <span key={p} aria-current="page" className={`${cell} bg-brand-600 font-medium text-white`}><span className="sr-only">Page </span>{p}</span>
          : <Link key={p} href={href(p)} className={`${cell} border border-slate-300 bg-white hover:bg-slate-50`}><span className="sr-only">Page </span>{p}</Link>)}
      {page < pageCount ? <Link href={href(page + 1)} rel="next" className={`${cell} border border-slate-300 bg-white hover:bg-slate-50`}>Next</Link> : null}
    </nav>
  );
}
