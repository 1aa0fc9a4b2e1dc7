import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { CUSTOM_CONTROL_EXAMPLES } from '@/lib/analysis/cel';
import { PageHeader } from '@/app/_components/page-header';
import { Forbidden } from '@/app/_components/forbidden';
import { CustomControlEditor, type EditorInitial } from '../_components/editor';

export const metadata: Metadata = { title: 'New custom control' };
export const dynamic = 'force-dynamic';

const BLANK: EditorInitial = {
  key: '', title: '', severity: 'medium', rationale: '', remediation: '', requirementIds: [],
  rule: { match: { resources: [{ apiGroups: ['apps'], kinds: ['Deployment'] }] }, validations: [{ expression: '' }] },
};

export default async function NewCustomControlPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'policy.manage')) return <Forbidden what="write custom controls" />;
  const { example: exampleKey } = await searchParams;
  const example = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === exampleKey);
  const initial: EditorInitial = example
    ? { key: example.key, title: example.title, severity: example.severity, rationale: example.rationale, remediation: example.remediation, requirementIds: [], rule: example.rule }
    : BLANK;
  const clusters = (await listClusters(ctx)).filter((c) => !c.archivedAt).map((c) => ({ id: c.id, name: c.name }));
  return (
    <>
      <PageHeader title="New custom control" description="Saved disabled: preview it on your clusters, then enable it." />
      <CustomControlEditor org={org} initial={initial} clusters={clusters} canManage />
    </>
  );
}
