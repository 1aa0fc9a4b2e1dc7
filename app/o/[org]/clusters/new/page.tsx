import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { Forbidden } from '@/app/_components/forbidden';
import { env } from '@/lib/platform/env';
import { PageHeader } from '@/app/_components/page-header';
import { AddClusterForm } from './add-cluster-form';

export const metadata: Metadata = { title: 'Add a cluster' };
export const dynamic = 'force-dynamic';

export default async function NewClusterPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'cluster.manage')) return <Forbidden what="add clusters" />;
  return (
    <>
      <PageHeader title="Add a cluster" description="Name the cluster; Bulwark gives you an agent token and the commands to install the agent." />
      <AddClusterForm org={org} appUrl={env().APP_URL} />
    </>
  );
}
