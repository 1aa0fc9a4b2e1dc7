'use client';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { markNotificationsReadAction } from '../actions';

export function MarkReadButton({ org, notificationIds, label, accessibleLabel, className }: {
  org: string; notificationIds?: string[]; label: string; accessibleLabel?: string; className: string;
}) {
  const { run, pending, error } = useOrgAction();
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button type="button" disabled={pending} aria-label={accessibleLabel} className={className}
        onClick={() => run(() => markNotificationsReadAction(org, notificationIds ? { notificationIds } : {}))}>
        {pending ? 'Saving…' : label}
      </button>
      <FormError error={error} />
    </span>
  );
}
