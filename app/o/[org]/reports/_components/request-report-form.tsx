'use client';
import { useState } from 'react';
import { requestReportAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { SelectField } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';

type Option = { id: string; label: string };

const FORMATS: { id: 'PDF' | 'CSV' | 'JSON' | 'OSCAL'; label: string }[] = [
  { id: 'PDF', label: 'PDF: the report for people' },
  { id: 'CSV', label: 'CSV: one row per finding' },
  { id: 'JSON', label: 'JSON: all report data' },
  { id: 'OSCAL', label: 'OSCAL 1.1.2 assessment results' },
];

const FIELD_NAMES: Record<string, string> = { frameworkId: 'Framework', clusterIds: 'Clusters', periodStart: 'Period start', periodEnd: 'Period end', format: 'Format' };

/** Framework, clusters (all unless narrowed), period (last 30 days by default) and format: queues one report. */
export function RequestReportForm({ org, frameworks, clusters, defaults, initialFramework }: {
  org: string;
  /** Catalog frameworks, then the organization's own (`org:<key>`: PDF, CSV or JSON only). */
  frameworks: Option[];
  /** Preselected from the page's `?framework=` (the organization frameworks page links here). */
  initialFramework?: string;
  clusters: Option[];
  defaults: { periodStart: string; periodEnd: string; maxDay: string };
}) {
  const { run, pending, error, success } = useOrgAction();
  const [frameworkId, setFrameworkId] = useState(frameworks.find((f) => f.id === initialFramework)?.id ?? frameworks[0]?.id ?? '');
  // OSCAL needs a published catalog: an organization framework's report is PDF, CSV or JSON.
  const formats = frameworkId.startsWith('org:') ? FORMATS.filter((f) => f.id !== 'OSCAL') : FORMATS;
  const [format, setFormat] = useState<(typeof FORMATS)[number]['id']>('PDF');
  const [allClusters, setAllClusters] = useState(true);
  const [clusterIds, setClusterIds] = useState<string[]>([]);
  const [periodStart, setPeriodStart] = useState(defaults.periodStart);
  const [periodEnd, setPeriodEnd] = useState(defaults.periodEnd);

  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => requestReportAction(org, { frameworkId, format, periodStart, periodEnd, clusterIds: allClusters ? [] : clusterIds }), {
          success: (data) => data.duplicate
            ? 'The same report is already queued or being generated; it is in the archive below.'
            : 'Report queued. It appears in the archive below and is ready in a moment.',
        });
      }}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <SelectField id="report-framework" label="Framework" value={frameworkId} onChange={(e) => { setFrameworkId(e.target.value); if (e.target.value.startsWith('org:') && format === 'OSCAL') setFormat('PDF'); }}>
          {frameworks.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </SelectField>
        <SelectField id="report-format" label="Format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
          {formats.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
        </SelectField>
        <div className="space-y-1">
          <label htmlFor="report-start" className={labelStyles}>Period start</label>
          <input id="report-start" type="date" required value={periodStart} max={periodEnd || defaults.maxDay} onChange={(e) => setPeriodStart(e.target.value)} className={inputStyles} />
        </div>
        <div className="space-y-1">
          <label htmlFor="report-end" className={labelStyles}>Period end</label>
          <input id="report-end" type="date" required value={periodEnd} min={periodStart} max={defaults.maxDay} onChange={(e) => setPeriodEnd(e.target.value)} aria-describedby="report-end-help" className={inputStyles} />
          <p id="report-end-help" className="text-xs text-slate-500">Findings, statuses and scores are shown as they were at the end of this day (UTC), or now if it is today.</p>
        </div>
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
                <input
                  type="checkbox"
                  checked={clusterIds.includes(cluster.id)}
                  onChange={(e) => setClusterIds((ids) => (e.target.checked ? [...ids, cluster.id] : ids.filter((id) => id !== cluster.id)))}
                />
                <span className="truncate">{cluster.label}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <FormError error={error} describe={(path) => FIELD_NAMES[path.split(/[.[]/)[0] ?? path] ?? path} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending || (!allClusters && clusterIds.length === 0)} className={buttonStyles.primary}>
        {pending ? 'Queueing…' : 'Generate report'}
      </button>
    </form>
  );
}
