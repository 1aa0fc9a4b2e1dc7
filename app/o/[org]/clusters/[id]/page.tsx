import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { getCluster } from '@/lib/services/clusters/read-clusters';
import { can } from '@/lib/platform/auth/permissions';
import { frameworkTitle } from '@/lib/analysis/frameworks';
import { Card } from '@/app/_components/card';
import { PageHeader } from '@/app/_components/page-header';
import { StatusBadge } from '@/app/_components/status-badge';
import { SeverityCounts } from '@/app/_components/severity-counts';
import { TimeAgo } from '@/app/_components/time-ago';
import { DataAge } from '@/app/_components/data-age';
import { TokenActions } from './token-actions';
import { InstallAgent } from './install-agent';
import { ClusterSettings } from './cluster-settings';
import { INSTALL_LINK_TTL_MINUTES } from '@/lib/services/clusters/install-links';
import { ClusterLabelsSchema } from '@/lib/services/clusters/manage-cluster';
import { AutoRefresh } from '../../_components/auto-refresh';
import { NodesSection } from './nodes-section';
import { AdmissionPoliciesSection } from './admission-policies-section';
import { PolicyReportsSection } from './policy-reports-section';

export const metadata: Metadata = { title: 'Cluster' };
export const dynamic = 'force-dynamic';

export default async function ClusterPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const ctx = await requireOrgContext(org);
  const data = await orNotFound(getCluster(ctx, id));
  const { cluster } = data;
  const now = new Date();
  const pending = data.snapshots.some((s) => s.status === 'QUEUED' || s.status === 'EVALUATING');
  const labels = ClusterLabelsSchema.catch({}).parse(cluster.labels);
  const canManage = can(ctx, 'cluster.manage');
  return (
    <>
      <PageHeader
        title={cluster.name}
        description={<>{cluster.provider ?? 'provider unknown'}{cluster.serverVersion ? ` · Kubernetes ${cluster.serverVersion}` : ''} · agent {cluster.agentVersion ?? 'not seen yet'} · data <DataAge cluster={cluster} now={now} /></>}
        actions={
          <span className="flex flex-wrap gap-4">
            <Link href={`/o/${org}/clusters/${cluster.id}/access`} className="text-sm font-medium text-brand-600 hover:underline">Who can do what →</Link>
            <Link href={`/o/${org}/findings?cluster=${cluster.id}`} className="text-sm font-medium text-brand-600 hover:underline">All findings of this cluster →</Link>
          </span>
        }
      />
      {pending && <AutoRefresh seconds={4} />}
      {(cluster.environment || Object.keys(labels).length > 0) && (
        <ul className="mb-4 flex flex-wrap gap-2 text-xs" aria-label="Environment and labels" data-testid="cluster-labels">
          {cluster.environment && <li className="rounded bg-brand-50 px-2 py-0.5 font-medium text-brand-700">{cluster.environment.toLowerCase()}</li>}
          {Object.entries(labels).map(([key, value]) => <li key={key} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-slate-700">{key}={value}</li>)}
        </ul>
      )}
      {cluster.archivedAt && (
        <p role="status" className="mb-4 rounded-lg border border-slate-300 bg-slate-100 px-4 py-3 text-sm text-slate-800" data-testid="cluster-archived">
          Archived <TimeAgo date={cluster.archivedAt} now={now} />: history only. Its agent is refused, and it is left out of the dashboard, the organization score and &ldquo;all clusters&rdquo; reports.
        </p>
      )}
      {cluster.staleSince && (
        <p role="alert" className="mb-4 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          The agent has not reported since <TimeAgo date={cluster.lastSnapshotAt} now={now} />. Check the bulwark-agent Deployment and its token.
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-3">
        {data.frameworkIds.map((frameworkId) => {
          const score = data.scores.find((s) => s.frameworkId === frameworkId);
          return (
            <Card key={frameworkId} title={frameworkTitle(frameworkId)}>
              <p className="text-3xl font-bold tabular-nums" data-testid={`cluster-score-${frameworkId}`}>{score ? `${score.score}%` : '–'}</p>
              {score && <p className="text-xs text-slate-600">{score.passed} passed · {score.failed} failed · {score.accepted} accepted · {score.manual} manual</p>}
            </Card>
          );
        })}
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Open findings">
          <SeverityCounts counts={Object.fromEntries(data.severities.map((s) => [s.severity, s._count._all]))} href={(severity) => `/o/${org}/findings?cluster=${cluster.id}&severity=${severity}`} />
          {data.evaluation && (
            <p className="mt-3 text-xs text-slate-500">
              Last evaluation: {data.evaluation.findingsTotal} findings ({data.evaluation.findingsOpened} new, {data.evaluation.findingsResolved} resolved, {data.evaluation.findingsReopened} reopened) in {data.evaluation.durationMs} ms, catalog {data.evaluation.catalogVersion.slice(0, 12)}.
            </p>
          )}
        </Card>
        <Card title="Agent tokens">
          <TokenActions org={org} clusterId={cluster.id} canManage={can(ctx, 'token.manage')} tokens={data.tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null }))} />
        </Card>
      </div>
      <NodesSection org={org} clusterId={cluster.id} />
      <AdmissionPoliciesSection org={org} clusterId={cluster.id} />
      <PolicyReportsSection org={org} clusterId={cluster.id} />
      <Card title="Recent snapshots" className="mt-4">
        {data.snapshots.length === 0 ? <p className="text-sm text-slate-500">No snapshot received yet. Install the agent, or push manifests with <code>npm run agent -- push</code>.</p> : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500"><tr><th className="py-2 pr-4">Collected</th><th className="pr-4">Received</th><th className="pr-4">Status</th><th className="pr-4">Objects</th><th className="pr-4">Workloads</th><th className="pr-4">Pods</th><th className="pr-4">Size</th><th>Agent</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {data.snapshots.map((snapshot) => (
                  <tr key={snapshot.id}>
                    <td className="py-2 pr-4"><TimeAgo date={snapshot.collectedAt} now={now} /></td>
                    <td className="pr-4"><TimeAgo date={snapshot.receivedAt} now={now} /></td>
                    <td className="pr-4"><StatusBadge status={snapshot.status} />{snapshot.error && <span className="ml-2 text-xs text-red-700" title={snapshot.error}>{snapshot.error.slice(0, 80)}</span>}</td>
                    <td className="pr-4 tabular-nums">{snapshot.counts.objects}</td>
                    <td className="pr-4 tabular-nums">{snapshot.counts.workloads}</td>
                    <td className="pr-4 tabular-nums">{snapshot.counts.pods}</td>
                    <td className="pr-4 tabular-nums">{Math.round(snapshot.rawBytes / 1024)} KiB</td>
                    <td>{snapshot.agentVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Install the agent">
          <InstallAgent org={org} clusterId={cluster.id} canMint={can(ctx, 'token.manage')} archived={cluster.archivedAt !== null}
            downloadHref={`/api/v1/orgs/${org}/clusters/${cluster.id}/manifests`} ttlMinutes={INSTALL_LINK_TTL_MINUTES} />
        </Card>
        {canManage && (
          <Card title="Settings">
            <ClusterSettings org={org} clusterId={cluster.id} name={cluster.name} environment={cluster.environment} labels={labels} archived={cluster.archivedAt !== null} />
          </Card>
        )}
      </div>
    </>
  );
}
