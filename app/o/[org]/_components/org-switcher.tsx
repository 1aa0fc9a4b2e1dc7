'use client';
import { useRouter } from 'next/navigation';

export function OrgSwitcher({ current, orgs }: { current: string; orgs: { slug: string; name: string }[] }) {
  const router = useRouter();
  return (
    <label className="block lg:mt-3">
      <span className="sr-only">Organization</span>
      <select
        value={current}
        onChange={(event) => router.push(`/o/${event.target.value}`)}
        className="w-full rounded-md border border-slate-700 bg-slate-800 px-2 py-1.5 text-sm text-white"
      >
        {orgs.map((org) => <option key={org.slug} value={org.slug}>{org.name}</option>)}
      </select>
    </label>
  );
}
