import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { getDashboard } from '@/lib/services/dashboard/get-dashboard';
import { frameworkCoverage } from '@/lib/services/soa/coverage';
import { can } from '@/lib/platform/auth/permissions';
import { Card } from '@/app/_components/card';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { SeverityCounts } from '@/app/_components/severity-counts';
import { StatusBadge } from '@/app/_components/status-badge';
import { DataAge } from '@/app/_components/data-age';
import { ScoreTrendChart } from '@/app/_components/score-trend-chart';
import { buttonStyles } from '@/app/_components/button-styles';
import { AutoRefresh } from './_components/auto-refresh';
import { ScoreRule } from './_components/score-rule';

export const metadata: Metadata = { title: 'Dashboard' };
export const dynamic = 'force-dynamic';

export default async function DashboardPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const now = new Date();
  const data = await getDashboard(ctx, now);
  const base = `/o/${org}`;

  if (data.clusters.length === 0) {
    return (
      <>
        <PageHeader title="Dashboard" />
        <EmptyState
          title="Connect your first cluster"
          action={can(ctx, 'cluster.manage')
            ? <Link href={`${base}/clusters/new`} className={buttonStyles.primary}>Add a cluster</Link>
            : <p className="text-sm text-slate-500">Ask an owner or admin of this organization to add one.</p>}
        >
          Bulwark scores your clusters against the CIS Kubernetes Benchmark and ISO/IEC 27001:2022 Annex A. Add a cluster,
          install the agent with the command we show you (or push a snapshot of your manifests offline), and this
          dashboard fills in as soon as the first snapshot is evaluated.
        </EmptyState>
      </>
    );
  }

  // What each score covers, in the status vocabulary (issue 19): "automated 9.5% of 21 assessed requirements; 54 not assessed".
  const coverage = new Map((await frameworkCoverage(ctx, data.frameworks.map((f) => f.frameworkId))).map((c) => [c.frameworkId, c.coverage]));
  const waiting = data.clusters.every((cluster) => !cluster.lastEvaluatedAt);
  const totalOpen = Object.values(data.bySeverity).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader title="Dashboard" description={`${data.clusters.length} cluster${data.clusters.length === 1 ? '' : 's'} · ${totalOpen} open findings`} />
      {waiting && (
        <div role="status" className="mb-6 rounded-lg border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-blue-900">
          Waiting for the first snapshot… this page refreshes by itself once it has been evaluated.
          <AutoRefresh seconds={5} />
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        {data.frameworks.map((framework) => (
          <Card key={framework.frameworkId} title={framework.name}>
            <div className="flex items-baseline gap-3" data-testid={`score-${framework.frameworkId}`}>
              <span className="text-4xl font-bold tabular-nums">{framework.score === null ? '–' : `${framework.score}%`}</span>
              <span className="text-sm text-slate-600">
                {framework.passed} passed · {framework.failed} failed
                {framework.accepted > 0 && <> · <span className="text-violet-700">{framework.accepted} by risk acceptance</span></>}
              </span>
            </div>
            <p className="mt-1 text-sm text-slate-600" data-testid={`coverage-${framework.frameworkId}`}>
              Covers: {coverage.get(framework.frameworkId)} · <Link href={`${base}/controls/soa/${framework.frameworkId}`} className="text-brand-700 underline hover:text-brand-600">Statement of Applicability</Link>
            </p>
            <ScoreRule org={org} frameworkId={framework.frameworkId} failed={framework.failed} />
            <div className="mt-3"><ScoreTrendChart data={framework.trend} label={framework.name} /></div>
          </Card>
        ))}
        {data.ownFrameworks.map((framework) => (
          <Card key={framework.frameworkId} title={`${framework.name} (your framework)`}>
            <div className="flex items-baseline gap-3" data-testid={`score-${framework.frameworkId}`}>
              <span className="text-4xl font-bold tabular-nums">{framework.score === null ? '–' : `${framework.score}%`}</span>
              <span className="text-sm text-slate-600">
                {framework.passed} passed · {framework.failed} failed{framework.manual > 0 ? ` · ${framework.manual} without a control` : ''}
              </span>
            </div>
            <p className="mt-1 text-sm text-slate-600">
              Decided by your organization&rsquo;s own controls · <Link href={`${base}/controls/frameworks`} className="text-brand-700 underline hover:text-brand-600">Requirements and controls</Link>
            </p>
            <div className="mt-3"><ScoreTrendChart data={framework.trend} label={framework.name} /></div>
          </Card>
        ))}
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <Card title="Open findings by severity">
          <SeverityCounts counts={data.bySeverity} href={(severity) => `${base}/findings?severity=${severity}`} />
        </Card>
        <Card title="Needs attention">
          <dl className="grid grid-cols-3 gap-2 text-center">
            <div><dt className="text-xs text-slate-500">Overdue</dt><dd className={`text-2xl font-bold ${data.overdue ? 'text-red-700' : ''}`}><Link href={`${base}/findings?overdue=1`}>{data.overdue}</Link></dd></div>
            <div><dt className="text-xs text-slate-500">Risk accepted</dt><dd className="text-2xl font-bold text-violet-700">{data.riskAccepted}</dd></div>
            <div><dt className="text-xs text-slate-500">Open tickets</dt><dd className="text-2xl font-bold"><Link href={`${base}/tickets`}>{data.openTickets}</Link></dd></div>
          </dl>
        </Card>
        <Card title="Top failing controls">
          {data.topFailingControls.length === 0 ? <p className="text-sm text-slate-500">Nothing failing. Well done.</p> : (
            <ol className="space-y-1.5 text-sm">
              {data.topFailingControls.map((control) => (
                <li key={control.controlId} className="flex items-center justify-between gap-2">
                  <Link href={`${base}/findings?control=${encodeURIComponent(control.controlId)}`} className="truncate hover:underline" title={control.title}>{control.title}</Link>
                  <span className="shrink-0 tabular-nums text-slate-600">{control.open}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>

      <Card title="Clusters" className="mt-4">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr><th className="py-2 pr-4">Cluster</th><th className="pr-4" data-testid="clusters-cis-version">CIS v{data.cis.version}</th><th className="pr-4">ISO 27001</th><th className="pr-4">Critical</th><th className="pr-4">High</th><th className="pr-4">Data</th><th>Latest snapshot</th></tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {data.clusters.map((cluster) => (
                <tr key={cluster.id}>
                  <td className="py-2 pr-4">
                    <Link href={`${base}/clusters/${cluster.id}`} className="font-medium hover:underline">{cluster.name}</Link>
                    {cluster.staleSince && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">agent not reporting</span>}
                  </td>
                  <td className="pr-4 tabular-nums">{cluster.scores[data.cis.frameworkId] ?? '–'}{cluster.scores[data.cis.frameworkId] !== undefined && '%'}</td>
                  <td className="pr-4 tabular-nums">{cluster.scores['iso27001-2022'] ?? '–'}{cluster.scores['iso27001-2022'] !== undefined && '%'}</td>
                  <td className={`pr-4 tabular-nums ${cluster.openCritical ? 'font-semibold text-red-700' : ''}`}>{cluster.openCritical}</td>
                  <td className={`pr-4 tabular-nums ${cluster.openHigh ? 'font-semibold text-orange-700' : ''}`}>{cluster.openHigh}</td>
                  <td className="pr-4"><DataAge cluster={cluster} now={now} /></td>
                  <td>{cluster.latestSnapshotStatus ? <StatusBadge status={cluster.latestSnapshotStatus} /> : <span className="text-slate-500">none yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
