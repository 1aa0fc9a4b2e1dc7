import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { listUserOrganizations } from '@/lib/platform/auth/membership';
import { can } from '@/lib/platform/auth/permissions';
import { countUnreadNotifications } from '@/lib/services/notifications/list-notifications';
import { countAwaitingDecision } from '@/lib/services/findings/pending-approvals';
import { OrgNav, type NavItem } from './_components/org-nav';
import { OrgSwitcher } from './_components/org-switcher';

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (ctx.actor.kind !== 'user') throw new Error('unreachable: pages are for people');
  const [orgs, unread, awaiting] = await Promise.all([listUserOrganizations(ctx.actor.userId), countUnreadNotifications(ctx), countAwaitingDecision(ctx)]);
  const base = `/o/${org}`;
  const items: NavItem[] = [
    { href: base, label: 'Dashboard', exact: true },
    { href: `${base}/findings`, label: 'Findings' },
    { href: `${base}/clusters`, label: 'Clusters' },
    { href: `${base}/controls`, label: 'Controls' },
    { href: `${base}/tickets`, label: 'Tickets' },
    ...(can(ctx, 'access_review.read') ? [{ href: `${base}/reviews`, label: 'Access reviews' }] : []),
    ...(can(ctx, 'risk.approve') ? [{ href: `${base}/approvals`, label: 'Approvals', count: awaiting, countLabel: 'waiting for your decision' }] : []),
    ...(can(ctx, 'report.read') ? [{ href: `${base}/reports`, label: 'Reports' }] : []),
    ...(can(ctx, 'audit.read') ? [{ href: `${base}/audit`, label: 'Audit log' }] : []),
    { href: `${base}/notifications`, label: 'Notifications', count: unread, countLabel: 'unread' },
    { href: `${base}/settings`, label: 'Settings' },
  ];
  return (
    <div className="min-h-screen lg:flex">
      <aside className="border-b border-slate-200 bg-slate-900 text-slate-100 lg:w-60 lg:shrink-0 lg:border-b-0">
        <div className="lg:sticky lg:top-0 lg:flex lg:h-screen lg:flex-col">
        <div className="flex items-center justify-between gap-2 px-4 py-3 lg:block lg:py-4">
          <Link href={base} className="text-lg font-bold tracking-tight text-white">Bulwark</Link>
          <div className="flex min-w-0 items-center gap-3 lg:block">
            <OrgSwitcher current={org} orgs={orgs} />
            {/* Small screens: the account block below is hidden, so sign-out sits in the top bar. */}
            <Link href="/sign-out" className="shrink-0 whitespace-nowrap text-sm text-slate-300 underline hover:text-white lg:hidden" title={`Signed in as ${ctx.actor.email}`}>Sign out</Link>
          </div>
        </div>
        <OrgNav items={items} />
        <div className="hidden px-4 py-4 text-xs text-slate-400 lg:mt-auto lg:block">
          <p className="truncate" title={ctx.actor.email}>{ctx.actor.name ?? ctx.actor.email}</p>
          <p className="mb-2">{ctx.actor.role.toLowerCase()}</p>
          <Link href="/sign-out" className="text-slate-300 underline hover:text-white">Sign out</Link>
        </div>
        </div>
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 sm:px-8">{children}</main>
    </div>
  );
}
