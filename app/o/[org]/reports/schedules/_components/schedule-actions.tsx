'use client';
import { deleteScheduleAction, runScheduleNowAction, setScheduleEnabledAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { buttonStyles } from '@/app/_components/button-styles';

/** Run now, pause or resume, delete: one schedule's buttons. */
export function ScheduleActions({ org, scheduleId, enabled, label }: { org: string; scheduleId: string; enabled: boolean; label: string }) {
  const { run, pending, error, success } = useOrgAction();
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => run(() => runScheduleNowAction(org, { scheduleId }), { success: (d) => d.duplicate ? 'The same report is already being generated.' : 'Report queued; the recipients get their links when it is ready.' })}>
          Run now<span className="sr-only"> {label}</span>
        </button>
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => run(() => setScheduleEnabledAction(org, { scheduleId, enabled: !enabled }), { success: enabled ? 'Schedule paused.' : 'Schedule resumed.' })}>
          {enabled ? 'Disable' : 'Enable'}<span className="sr-only"> {label}</span>
        </button>
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => { if (window.confirm('Delete this schedule? Reports already generated stay in the archive.')) run(() => deleteScheduleAction(org, { scheduleId }), { success: 'Schedule deleted.' }); }}>
          Delete<span className="sr-only"> {label}</span>
        </button>
      </div>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}
