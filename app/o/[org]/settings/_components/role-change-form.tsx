'use client';
import { useId, useState } from 'react';
import type { Role } from '@/lib/platform/db/client';
import type { ActionResult } from '@/lib/web/action';
import { buttonStyles } from '@/app/_components/button-styles';
import { ROLE_LABELS } from './roles';
import { useOrgAction } from '@/app/_components/use-org-action';

type OrgActionFn = (orgSlug: string, input: unknown) => Promise<ActionResult<unknown>>;

/**
 * A role select with its own Save button, for a member or a group mapping. Saving on change would fire once per
 * arrow key in some browsers, so the change is explicit.
 */
export function RoleChangeForm({ org, action, input, current, roles, subject }: {
  org: string;
  action: OrgActionFn;
  input: Record<string, string>;
  current: Role;
  roles: readonly Role[];
  subject: string;
}) {
  const id = useId();
  const [role, setRole] = useState<Role>(current);
  const { run, pending, error } = useOrgAction();
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => action(org, { ...input, role }));
      }}
    >
      <label htmlFor={id} className="sr-only">Role of {subject}</label>
      <select id={id} value={role} onChange={(event) => setRole(event.target.value as Role)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm">
        {roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
      </select>
      {role !== current && <button type="submit" disabled={pending} className={buttonStyles.secondary}>{pending ? 'Saving…' : 'Save'}</button>}
      {error && <p role="alert" className="w-full text-xs text-red-700">{error.message}</p>}
    </form>
  );
}
