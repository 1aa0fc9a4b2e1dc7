'use client';
import { setCustomControlEnabledAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { buttonStyles } from '@/app/_components/button-styles';

/** "re-evaluating 2 clusters": the latest snapshots evaluated again after a change (lib/services/policies/reevaluate.ts). */
export function reevaluatingText(clusters: number): string {
  return clusters === 0 ? 'no cluster has a snapshot to re-evaluate yet' : `re-evaluating ${clusters} cluster${clusters === 1 ? '' : 's'}`;
}

/** Enable, or disable (which resolves the control's open findings with "control disabled"). */
export function EnableToggle({ org, customControlId, enabled }: { org: string; customControlId: string; enabled: boolean }) {
  const { run, pending, error, success } = useOrgAction();
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={enabled ? buttonStyles.danger : buttonStyles.primary}
        disabled={pending}
        onClick={() => run(() => setCustomControlEnabledAction(org, { customControlId, enabled: !enabled }), {
          success: (data) => `${data.enabled ? 'Enabled' : `Disabled; ${data.resolved} finding(s) resolved as "control disabled"`}; ${reevaluatingText(data.reevaluating)}.`,
        })}
      >
        {enabled ? 'Disable' : 'Enable'}
      </button>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}
