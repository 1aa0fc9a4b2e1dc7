'use client';
import { useState } from 'react';
import { createScheduleAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { SelectField } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';

type Option = { id: string; label: string };

const FORMATS = [
  { id: 'PDF', label: 'PDF: the report for people' },
  { id: 'CSV', label: 'CSV: one row per finding' },
  { id: 'OSCAL', label: 'OSCAL 1.1.2 assessment results' },
] as const;
const PERIODS = [
  { id: 'previous_month', label: 'Previous calendar month' },
  { id: 'previous_quarter', label: 'Previous calendar quarter' },
  { id: 'last_30_days', label: 'Last 30 days' },
] as const;
const PRESETS = [
  { id: 'monthly', label: 'Monthly (1st, 06:00)', cron: '0 6 1 * *' },
  { id: 'weekly', label: 'Weekly (Monday, 06:00)', cron: '0 6 * * 1' },
  { id: 'daily', label: 'Daily (06:00)', cron: '0 6 * * *' },
  { id: 'custom', label: 'Custom cron expression', cron: '' },
] as const;

const FIELD_NAMES: Record<string, string> = {
  frameworkId: 'Framework', format: 'Format', clusterIds: 'Clusters', period: 'Period', cron: 'Schedule', timeZone: 'Time zone',
  recipientUserIds: 'Members', recipientEmails: 'External addresses',
};

/** Framework, clusters, format, period, when (preset or cron) in which time zone, and who receives the link. */
export function ScheduleForm({ org, frameworks, clusters, timeZones, members, external }: {
  org: string;
  frameworks: Option[];
  clusters: Option[];
  timeZones: string[];
  members: Option[];
  external: string[];
}) {
  const { run, pending, error, success } = useOrgAction();
  const [frameworkId, setFrameworkId] = useState(frameworks[0]?.id ?? '');
  const [format, setFormat] = useState<(typeof FORMATS)[number]['id']>('PDF');
  const [period, setPeriod] = useState<(typeof PERIODS)[number]['id']>('previous_month');
  const [preset, setPreset] = useState<(typeof PRESETS)[number]['id']>('monthly');
  const [customCron, setCustomCron] = useState('0 6 1 * *');
  const [timeZone, setTimeZone] = useState('UTC');
  const [allClusters, setAllClusters] = useState(true);
  const [clusterIds, setClusterIds] = useState<string[]>([]);
  const [recipientUserIds, setRecipientUserIds] = useState<string[]>([]);
  const [recipientEmails, setRecipientEmails] = useState<string[]>([]);
  const cron = preset === 'custom' ? customCron : PRESETS.find((p) => p.id === preset)!.cron;
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value));

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => createScheduleAction(org, { frameworkId, format, period, cron, timeZone, clusterIds: allClusters ? [] : clusterIds, recipientUserIds, recipientEmails }), {
          success: (data) => `Schedule created. First run: ${new Date(data.nextRunAt).toUTCString()}.`,
        });
      }}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <SelectField id="schedule-framework" label="Framework" value={frameworkId} onChange={(e) => { setFrameworkId(e.target.value); if (e.target.value.startsWith('org:') && format === 'OSCAL') setFormat('PDF'); }}>
          {frameworks.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </SelectField>
        <SelectField id="schedule-format" label="Format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          {/* An organization framework's report (org:<key>) is PDF or CSV here: OSCAL needs a published catalog. */}
          {FORMATS.filter((f) => !frameworkId.startsWith('org:') || f.id !== 'OSCAL').map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </SelectField>
        <SelectField id="schedule-period" label="Period covered" value={period} onChange={(e) => setPeriod(e.target.value as typeof period)}>
          {PERIODS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </SelectField>
        <SelectField id="schedule-time-zone" label="Time zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
          {timeZones.map((zone) => <option key={zone} value={zone}>{zone}</option>)}
        </SelectField>
        <div className="space-y-1">
          <label htmlFor="schedule-preset" className={labelStyles}>Schedule</label>
          <select id="schedule-preset" value={preset} onChange={(e) => setPreset(e.target.value as typeof preset)} className={inputStyles}>
            {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
        </div>
        {preset === 'custom' && (
          <div className="space-y-1">
            <label htmlFor="schedule-cron" className={labelStyles}>Cron expression</label>
            <input id="schedule-cron" value={customCron} onChange={(e) => setCustomCron(e.target.value)} aria-describedby="schedule-cron-help" className={`${inputStyles} font-mono`} />
            <p id="schedule-cron-help" className="text-xs text-slate-500">Five fields: minute hour day-of-month month day-of-week, in the time zone above; at most once an hour.</p>
          </div>
        )}
      </div>
      <fieldset className="space-y-2">
        <legend className={labelStyles}>Clusters</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={allClusters} onChange={(e) => setAllClusters(e.target.checked)} />
          All clusters{clusters.length > 0 ? ` (${clusters.length})` : ''}
        </label>
        {!allClusters && (
          <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2">
            {clusters.length === 0 && <p className="text-sm text-slate-500">No clusters yet.</p>}
            {clusters.map((cluster) => (
              <label key={cluster.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={clusterIds.includes(cluster.id)} onChange={(e) => setClusterIds((ids) => toggle(ids, cluster.id, e.target.checked))} />
                <span className="truncate">{cluster.label}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="space-y-2">
        <legend className={labelStyles}>Recipients</legend>
        <p className="text-xs text-slate-500">Each gets a signed download link that expires; the file is never attached. Members sign in to download.</p>
        <div className="grid max-h-56 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2">
          {members.map((m) => (
            <label key={m.id} className="flex min-w-0 items-center gap-2 text-sm">
              <input type="checkbox" checked={recipientUserIds.includes(m.id)} onChange={(e) => setRecipientUserIds((ids) => toggle(ids, m.id, e.target.checked))} />
              <span className="truncate">{m.label}</span>
            </label>
          ))}
          {external.map((email) => (
            <label key={email} className="flex min-w-0 items-center gap-2 text-sm">
              <input type="checkbox" checked={recipientEmails.includes(email)} onChange={(e) => setRecipientEmails((list) => toggle(list, email, e.target.checked))} />
              <span className="truncate">{email} (external)</span>
            </label>
          ))}
        </div>
      </fieldset>
      <FormError error={error} describe={(path) => FIELD_NAMES[path.split(/[.[]/)[0] ?? path] ?? path} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending || (!allClusters && clusterIds.length === 0)} className={buttonStyles.primary}>
        {pending ? 'Saving…' : 'Create schedule'}
      </button>
    </form>
  );
}
