import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { cisFrameworkOf, getOrgSettings } from '@/lib/services/orgs/settings';
import { can } from '@/lib/platform/auth/permissions';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { listReports, type ReportSummaryRow } from '@/lib/services/reports/read-reports';
import { REPORT_FRAMEWORK_IDS } from '@/lib/services/reports/schemas';
import { FRAMEWORKS } from '@/lib/analysis/frameworks';
import { orgFrameworkChoices } from '@/lib/services/policies/org-frameworks';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { StatusBadge } from '@/app/_components/status-badge';
import { TimeAgo } from '@/app/_components/time-ago';
import { buttonStyles } from '@/app/_components/button-styles';
import { AutoRefresh } from '../_components/auto-refresh';
import { CopyHash } from './_components/copy-hash';
import { RequestReportForm } from './_components/request-report-form';

export const metadata: Metadata = { title: 'Reports' };
export const dynamic = 'force-dynamic';

const DAY_MS = 86_400_000;
const FORMAT_LABEL: Record<string, string> = { PDF: 'PDF', CSV: 'CSV', JSON: 'JSON', OSCAL: 'OSCAL' };

function frameworkLabel(id: string, own: readonly { id: string; label: string }[] = []): string {
  const framework = FRAMEWORKS.find((f) => f.id === id);
  return framework ? `${framework.name} ${framework.version}` : own.find((f) => f.id === id)?.label ?? id;
}

function sizeLabel(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function ReportStatus({ report }: { report: ReportSummaryRow }) {
  if (report.status === 'RUNNING') {
    return (
      <div className="min-w-28 space-y-1">
        <StatusBadge status="RUNNING" />
        <div role="progressbar" aria-label="Report progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={report.progress} className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200">
          <div className="h-full bg-brand-600" style={{ width: `${report.progress}%` }} />
        </div>
        <p className="text-xs text-slate-500">{report.progress}%</p>
      </div>
    );
  }
  return (
    <div className="space-y-1">
      <StatusBadge status={report.status} />
      {report.status === 'FAILED' && report.error && <p className="max-w-xs text-xs text-red-700">{report.error}</p>}
    </div>
  );
}

export default async function ReportsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ framework?: string }> }) {
  const { org } = await params;
  const { framework: preselected } = await searchParams;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'report.read')) {
    return (
      <>
        <PageHeader title="Reports" />
        <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Reports are available to owners, admins and auditors of this organization. Ask an owner or admin if you need one.
        </div>
      </>
    );
  }
  const [reports, clusters, settings, ownFrameworks] = await Promise.all([listReports(ctx), listClusters(ctx), getOrgSettings(ctx), orgFrameworkChoices(ctx)]);
  const cisFramework = cisFrameworkOf(settings);
  const now = new Date();
  const busy = reports.some((report) => report.status === 'QUEUED' || report.status === 'RUNNING');
  const mayGenerate = can(ctx, 'report.generate');
  const mayDownload = can(ctx, 'report.download');

  return (
    <>
      {busy && <AutoRefresh seconds={3} />}
      <PageHeader
        title="Reports"
        description="Point-in-time compliance reports for auditors: everything as it stood at the end of the period, with a SHA-256 to prove the file is unchanged."
        actions={<Link href={`/o/${org}/reports/schedules`} className={buttonStyles.secondary}>Schedules</Link>}
      />
      <div className="space-y-6">
        {mayGenerate && (
          <Card title="Generate a report">
            <RequestReportForm
              org={org}
              frameworks={[...REPORT_FRAMEWORK_IDS.filter((id) => !id.startsWith('cis-') || id === cisFramework).map((id) => ({ id, label: frameworkLabel(id) })), ...ownFrameworks]}
              initialFramework={preselected}
              clusters={clusters.map((cluster) => ({ id: cluster.id, label: cluster.name }))}
              defaults={{ periodStart: day(new Date(now.getTime() - 30 * DAY_MS)), periodEnd: day(now), maxDay: day(now) }}
            />
          </Card>
        )}
        <Card title="Archive">
          {reports.length === 0 ? (
            <EmptyState title="No reports yet" action={null}>Generated reports are kept here with their SHA-256, for as long as the organization exists.</EmptyState>
          ) : (
            <div className="relative overflow-x-auto">
              {/* relative: the SHA-256's screen-reader text is absolutely positioned, and without a positioned
                  scroll container it escaped it and made the whole page 861 px wide on a phone. */}
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Generated reports, newest first</caption>
                <thead className="whitespace-nowrap border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="py-2 pr-4 font-medium">Framework</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Period</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Scope</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Status</th>
                    <th scope="col" className="py-2 pr-4 font-medium">Requested</th>
                    <th scope="col" className="py-2 pr-4 font-medium">SHA-256</th>
                    <th scope="col" className="py-2 font-medium"><span className="sr-only">Download</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {reports.map((report) => (
                    <tr key={report.id} className="align-top">
                      <td className="py-3 pr-4">
                        <p className="font-medium">{frameworkLabel(report.frameworkId, ownFrameworks)}</p>
                        <p className="text-xs text-slate-500">{FORMAT_LABEL[report.format] ?? report.format}{report.sizeBytes !== null ? ` · ${sizeLabel(report.sizeBytes)}` : ''}</p>
                      </td>
                      <td className="whitespace-nowrap py-3 pr-4 text-slate-700">{day(report.periodStart)} to {day(report.periodEnd)}</td>
                      <td className="max-w-48 py-3 pr-4 text-slate-700"><span className="line-clamp-2" title={report.scope}>{report.scope}</span></td>
                      <td className="py-3 pr-4"><ReportStatus report={report} /></td>
                      <td className="py-3 pr-4 text-slate-700">
                        <p><TimeAgo date={report.createdAt} now={now} /></p>
                        <p className="text-xs text-slate-500">{report.requestedBy ?? 'API or system'}</p>
                        {report.finishedAt && <p className="text-xs text-slate-500">finished <TimeAgo date={report.finishedAt} now={now} /></p>}
                      </td>
                      <td className="py-3 pr-4">{report.sha256 ? <CopyHash value={report.sha256} /> : <span className="text-slate-500">not yet</span>}</td>
                      <td className="py-3">
                        {mayDownload && report.status === 'DONE' && (
                          <a href={`/api/v1/orgs/${org}/reports/${report.id}/download`} className={buttonStyles.secondary} download={report.fileName ?? undefined}>
                            Download<span className="sr-only"> {report.fileName}</span>
                          </a>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
