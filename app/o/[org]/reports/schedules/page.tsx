import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { cisFrameworkOf, getOrgSettings } from '@/lib/services/orgs/settings';
import { can } from '@/lib/platform/auth/permissions';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { listSchedules, scheduleRecipientOptions } from '@/lib/services/reports/schedules';
import { SCHEDULE_PERIOD_LABELS, type SchedulePeriod } from '@/lib/services/reports/schedule-schemas';
import { REPORT_FRAMEWORK_IDS } from '@/lib/services/reports/schemas';
import { FRAMEWORKS } from '@/lib/analysis/frameworks';
import { orgFrameworkChoices } from '@/lib/services/policies/org-frameworks';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { ScheduleForm } from './_components/schedule-form';
import { ScheduleActions } from './_components/schedule-actions';

export const metadata: Metadata = { title: 'Report schedules' };
export const dynamic = 'force-dynamic';

function frameworkLabel(id: string, own: readonly { id: string; label: string }[] = []): string {
  const ownLabel = own.find((f) => f.id === id)?.label;
  if (ownLabel) return ownLabel;
  const framework = FRAMEWORKS.find((f) => f.id === id);
  return framework ? `${framework.name} ${framework.version}` : id;
}

/** The IANA zones this runtime knows, UTC first. */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}

/** "2026-03-29 06:00 (Europe/Berlin)": when a run happens, in the schedule's own zone. */
function inZone(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export default async function ReportSchedulesPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'report.read')) {
    return (
      <>
        <PageHeader title="Report schedules" />
        <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Reports are available to owners, admins and auditors of this organization. Ask an owner or admin if you need one.
        </div>
      </>
    );
  }
  const maySchedule = can(ctx, 'report.schedule');
  const [schedules, clusters, recipients, ownFrameworks] = await Promise.all([
    listSchedules(ctx),
    maySchedule ? listClusters(ctx) : Promise.resolve([]),
    maySchedule ? scheduleRecipientOptions(ctx) : Promise.resolve({ members: [], external: [] }),
    orgFrameworkChoices(ctx),
  ]);
  const cisFramework = cisFrameworkOf(await getOrgSettings(ctx));

  return (
    <>
      <PageHeader
        title="Report schedules"
        description="Reports generated on a schedule and mailed as signed download links that expire: the file stays in the archive, never in mail."
      />
      <p className="mb-4 text-sm"><Link href={`/o/${org}/reports`} className="text-brand-700 underline">Back to the report archive</Link></p>
      <div className="space-y-6">
        <Card title="Schedules">
          {schedules.length === 0 ? (
            <EmptyState title="No schedules yet" action={null}>A schedule generates a report at the times you choose and mails its recipients a link.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {schedules.map((schedule) => {
                const label = `${frameworkLabel(schedule.frameworkId, ownFrameworks)} ${schedule.format}`;
                return (
                  <li key={schedule.id} className="space-y-2 py-3" data-testid="report-schedule">
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <p className="font-medium">{label}</p>
                      <span className={`rounded-full px-2 py-0.5 text-xs ${schedule.enabled ? 'bg-green-50 text-green-800' : 'bg-slate-100 text-slate-700'}`}>{schedule.enabled ? 'Enabled' : 'Disabled'}</span>
                    </div>
                    <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm text-slate-700 sm:grid-cols-2">
                      <div><dt className="inline text-slate-500">When: </dt><dd className="inline break-all font-mono">{schedule.cron}</dd><dd className="inline"> ({schedule.timeZone})</dd></div>
                      <div><dt className="inline text-slate-500">Period: </dt><dd className="inline">{SCHEDULE_PERIOD_LABELS[schedule.period as SchedulePeriod] ?? schedule.period}</dd></div>
                      <div><dt className="inline text-slate-500">Clusters: </dt><dd className="inline">{schedule.scope}</dd></div>
                      <div><dt className="inline text-slate-500">Next run: </dt><dd className="inline">{schedule.enabled ? inZone(schedule.nextRunAt, schedule.timeZone) : 'paused'}</dd></div>
                      <div className="sm:col-span-2"><dt className="inline text-slate-500">Recipients: </dt><dd className="inline break-words">{schedule.recipients.join(', ') || 'nobody (paused)'}</dd></div>
                      {schedule.lastRunAt && <div><dt className="inline text-slate-500">Last run: </dt><dd className="inline">{inZone(schedule.lastRunAt, schedule.timeZone)}</dd></div>}
                      {schedule.lastError && <div className="sm:col-span-2 text-red-700"><dt className="inline">Last error: </dt><dd className="inline">{schedule.lastError}</dd></div>}
                    </dl>
                    {maySchedule && <ScheduleActions org={org} scheduleId={schedule.id} enabled={schedule.enabled} label={label} />}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        {maySchedule && (
          <Card title="New schedule">
            <ScheduleForm
              org={org}
              frameworks={[...REPORT_FRAMEWORK_IDS.filter((id) => !id.startsWith('cis-') || id === cisFramework).map((id) => ({ id, label: frameworkLabel(id) })), ...ownFrameworks]}
              clusters={clusters.map((cluster) => ({ id: cluster.id, label: cluster.name }))}
              timeZones={timeZones()}
              members={recipients.members}
              external={recipients.external}
            />
            <p className="mt-3 text-xs text-slate-500">
              External auditors&apos; addresses are approved by owners and admins in <Link href={`/o/${org}/settings/report-recipients`} className="underline">Settings → Report recipients</Link>.
            </p>
          </Card>
        )}
      </div>
    </>
  );
}
