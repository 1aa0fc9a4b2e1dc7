'use client';
import type { ActionResult } from '@/lib/web/action';
import { useOrgAction } from '@/app/_components/use-org-action';

type OrgActionFn = (orgSlug: string, input: unknown) => Promise<ActionResult<unknown>>;

/** A one-click server action (remove, revoke, cancel, enable), confirmed first when `confirm` is set. */
export function ActionButton({ org, action, input, label, accessibleLabel, confirm, className = 'text-sm font-medium text-red-700 hover:underline disabled:opacity-60' }: {
  org: string;
  action: OrgActionFn;
  input: Record<string, unknown>;
  label: string;
  accessibleLabel?: string;
  confirm?: string;
  className?: string;
}) {
  const { run, pending, error } = useOrgAction();
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        disabled={pending}
        aria-label={accessibleLabel}
        className={className}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          run(() => action(org, input));
        }}
      >
        {pending ? 'Working…' : label}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error.message}</span>}
    </span>
  );
}
