'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** `count` shows as a badge when above zero ("Notifications 3"), read out as "3 unread" with `countLabel`. */
export type NavItem = { href: string; label: string; exact?: boolean; count?: number; countLabel?: string };

export function OrgNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    // Below lg the items wrap onto a second row rather than scroll: every page stays one tap away, none hides off-screen.
    <nav aria-label="Organization" className="flex flex-wrap gap-1 px-2 pb-2 lg:flex-col lg:flex-nowrap lg:pb-0">
      {items.map((item) => {
        const active = item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={`whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium lg:px-3 lg:py-2 ${active ? 'bg-slate-700 text-white' : 'text-slate-300 hover:bg-slate-800 hover:text-white'}`}
          >
            {item.label}
            {item.count !== undefined && item.count > 0 && (
              <span data-testid={`nav-count-${item.label.toLowerCase()}`} className="ml-2 inline-flex min-w-5 justify-center rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white">
                {item.count > 99 ? '99+' : item.count}<span className="sr-only"> {item.countLabel ?? ''}</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
