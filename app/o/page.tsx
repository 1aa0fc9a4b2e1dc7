import { redirect } from 'next/navigation';
import { requireSession } from '@/lib/web/context';
import { listUserOrganizations } from '@/lib/platform/auth/membership';
import { EmptyState } from '../_components/empty-state';

export const dynamic = 'force-dynamic';

/** Landing after sign-in: straight into the user's organization, or a clear word when there is none. */
export default async function OrganizationsPage() {
  const session = await requireSession();
  const orgs = await listUserOrganizations(session.user.id);
  if (orgs.length === 1 && orgs[0]) redirect(`/o/${orgs[0].slug}`);
  return (
    <main id="main" tabIndex={-1} className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="mb-6 text-2xl font-bold">Your organizations</h1>
      {orgs.length === 0 ? (
        <EmptyState title="You are not a member of any organization yet" action={null}>
          Signed in as {session.user.email}. Ask an owner or admin of your organization to invite this address, or to map
          one of your identity-provider groups to a role.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {orgs.map((org) => (
            <li key={org.slug}><a className="flex justify-between px-4 py-3 hover:bg-slate-50" href={`/o/${org.slug}`}><span className="font-medium">{org.name}</span><span className="text-sm text-slate-500">{org.role.toLowerCase()}</span></a></li>
          ))}
        </ul>
      )}
    </main>
  );
}
