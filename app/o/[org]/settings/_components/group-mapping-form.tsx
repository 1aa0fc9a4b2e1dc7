'use client';
import { useState } from 'react';
import type { Role } from '@/lib/platform/db/client';
import { buttonStyles } from '@/app/_components/button-styles';
import { setGroupMappingAction } from '../actions';
import { FieldError, fieldIssue, FormError, inputStyles, labelStyles } from './form-parts';
import { ROLE_LABELS } from './roles';
import { useOrgAction } from '@/app/_components/use-org-action';

export function GroupMappingForm({ org, roles, connections }: { org: string; roles: readonly Role[]; connections: { id: string; name: string; groupClaim: string }[] }) {
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? '');
  const [group, setGroup] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const { run, pending, error } = useOrgAction();
  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => setGroupMappingAction(org, { connectionId, group, role }), { onSuccess: () => setGroup('') });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr_12rem_auto] sm:items-end">
        <div className="space-y-1">
          <label htmlFor="group-connection" className={labelStyles}>SSO connection</label>
          <select id="group-connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)} className={inputStyles}>
            {connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
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
      <p id="group-name-help" className="text-xs text-slate-500">
        Exactly as it appears in the connection&apos;s <code>{connections.find((c) => c.id === connectionId)?.groupClaim ?? 'groups'}</code> claim (case matters). It counts only
        for sign-ins through that connection. Mapping a group that is already mapped changes its role.
      </p>
      <FieldError id="group-name-error" message={fieldIssue(error, 'group')} />
      <FormError error={error} describe={(path) => (path === 'group' ? 'IdP group' : path === 'connectionId' ? 'SSO connection' : path)} />
    </form>
  );
}
