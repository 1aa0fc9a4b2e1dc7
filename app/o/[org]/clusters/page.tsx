import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { can } from '@/lib/platform/auth/permissions';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { DataAge } from '@/app/_components/data-age';
import { buttonStyles } from '@/app/_components/button-styles';

export const metadata: Metadata = { title: 'Clusters' };
export const dynamic = 'force-dynamic';

export default async function ClustersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const clusters = await listClusters(ctx);
  const now = new Date();
  const add = can(ctx, 'cluster.manage') ? <Link href={`/o/${org}/clusters/new`} className={buttonStyles.primary}>Add a cluster</Link> : null;
  return (
    <>
      <PageHeader title="Clusters" description="Each cluster runs one Bulwark agent that pushes a snapshot on a schedule." actions={add} />
      {clusters.length === 0 ? (
        <EmptyState title="No clusters yet" action={add}>Add a cluster to get an agent token and the install command.</EmptyState>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
          {clusters.map((cluster) => (
            <li key={cluster.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex items-center justify-between">
                <Link href={`/o/${org}/clusters/${cluster.id}`} className="font-semibold hover:underline">{cluster.name}</Link>
                {cluster.archivedAt
                  ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">archived</span>
                  : cluster.staleSince && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">agent not reporting</span>}
              </div>
              {cluster.environment && <p className="mt-1 text-xs font-medium text-brand-700" data-testid="cluster-environment">{cluster.environment.toLowerCase()}</p>}
              <p className="mt-1 text-sm text-slate-600">
                {cluster.provider ?? 'provider unknown'}{cluster.serverVersion ? ` · Kubernetes ${cluster.serverVersion}` : ''}
              </p>
              <p className="mt-2 text-xs text-slate-500" data-testid="cluster-data-age">Data <DataAge cluster={cluster} now={now} /></p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
