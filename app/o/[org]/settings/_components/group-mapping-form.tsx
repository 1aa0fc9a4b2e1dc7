'use client';
import { useState } from 'react';
import type { Role } from '@/lib/platform/db/client';
import { buttonStyles } from '@/app/_components/button-styles';
import { setGroupMappingAction } from '../actions';
import { Field, FieldError, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
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
        <SelectField id="group-connection" label="SSO connection" value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
          {connections.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
        {/* The group's hint and error show under the row, so that the fields stay aligned with the button. */}
        <Field id="group-name" label="IdP group" required maxLength={256} value={group} onChange={(e) => setGroup(e.target.value)} placeholder="k8s-platform-admins" spellCheck={false}
          autoCapitalize="none" aria-invalid={fieldIssue(error, 'group') ? true : undefined} describedBy="group-name-help group-name-error" />
        <SelectField id="group-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
        </SelectField>
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
