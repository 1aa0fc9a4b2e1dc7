import Link from 'next/link';
import { buttonStyles } from './button-styles';

/**
 * Keyset pages have no numbers: a link to the first page (when not on it) and one to the next (when there is
 * one). Both carry the current filters.
 */
export function KeysetPager({ firstHref, nextHref, label = 'Pages' }: { firstHref: string | null; nextHref: string | null; label?: string }) {
  if (!firstHref && !nextHref) return null;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center gap-2">
      {firstHref && <Link href={firstHref} className={buttonStyles.secondary}>First page</Link>}
      {nextHref && <Link href={nextHref} className={buttonStyles.secondary}>Next page</Link>}
    </nav>
  );
}
