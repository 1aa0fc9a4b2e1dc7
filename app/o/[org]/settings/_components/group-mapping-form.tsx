'use client';
import { useState } from 'react';
import type { Role } from '@/lib/db/client';
import { buttonStyles } from '@/app/_components/button-styles';
import { setGroupMappingAction } from '../actions';
import { FieldError, fieldIssue, FormError, inputStyles, labelStyles } from './form-parts';
import { ROLE_LABELS } from './roles';
import { useActionRunner } from './use-action-runner';

export function GroupMappingForm({ org, roles }: { org: string; roles: readonly Role[] }) {
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const { run, pending, error } = useActionRunner();
  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => setGroupMappingAction(org, { group, role }), () => setGroup(''));
      }}
    >
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <div className="space-y-1">
          <label htmlFor="group-name" className={labelStyles}>IdP group</label>
          <input id="group-name" required maxLength={256} value={group} onChange={(e) => setGroup(e.target.value)} placeholder="k8s-platform-admins" spellCheck={false} autoCapitalize="none"
            aria-invalid={fieldIssue(error, 'group') ? true : undefined} aria-describedby="group-name-help group-name-error" className={inputStyles} />
        </div>
        <div className="space-y-1">
          <label htmlFor="group-role" className={labelStyles}>Role</label>
          <select id="group-role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={inputStyles}>
            {roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        </div>
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Map group'}</button>
      </div>
      <p id="group-name-help" className="text-xs text-slate-500">Exactly as it appears in the <code>groups</code> claim (case matters). Mapping a group that is already mapped changes its role.</p>
      <FieldError id="group-name-error" message={fieldIssue(error, 'group')} />
      <FormError error={error} describe={(path) => (path === 'group' ? 'IdP group' : path)} />
    </form>
  );
}
