'use client';
import { useState } from 'react';
import type { Role } from '@/lib/platform/db/client';
import { buttonStyles } from '@/app/_components/button-styles';
import { CopyField } from '@/app/_components/copy-field';
import { inviteMemberAction } from '../actions';
import { Field, FieldError, fieldIssue, SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from './roles';
import { useOrgAction } from '@/app/_components/use-org-action';

/** The link an invitee opens; the token is its only secret (the server keeps its hash). */
export function invitationUrl(token: string): string {
  return `${window.location.origin}/invitations/${token}`;
}

export function InviteMemberForm({ org, roles }: { org: string; roles: readonly Role[] }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const [done, setDone] = useState<{ message: string; link: string } | null>(null);
  const { run, pending, error } = useOrgAction();
  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        setDone(null);
        run(() => inviteMemberAction(org, { email, role }), { onSuccess: (invitation) => {
          setDone({
            message: `${invitation.email} ${invitation.created ? 'is invited' : 'has a new invitation link'} as ${ROLE_LABELS[invitation.role].toLowerCase()}. ${invitation.mailed ? 'We e-mailed them the link; you can also send it yourself' : 'Send them this link'}: it is shown only once, works once, and expires ${new Date(invitation.expiresAt).toISOString().slice(0, 10)}.`,
            link: invitationUrl(invitation.token),
          });
          setEmail('');
        } });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        {/* The email's error shows under the row, so that the fields stay aligned with the button. */}
        <Field id="invite-email" label="Email" type="email" autoComplete="off" required value={email} onChange={(e) => setEmail(e.target.value)}
          aria-invalid={fieldIssue(error, 'email') ? true : undefined} describedBy="invite-email-error" />
        <SelectField id="invite-role" label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} describedBy="invite-role-help">
          {roles.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
        </SelectField>
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Inviting…' : 'Invite'}</button>
      </div>
      <FieldError id="invite-email-error" message={fieldIssue(error, 'email')} />
      <p id="invite-role-help" className="text-xs text-slate-500">{ROLE_LABELS[role]}: {ROLE_DESCRIPTIONS[role]}.</p>
      <FormError error={error} describe={(path) => (path === 'email' ? 'Email' : path)} />
      {done && (
        <div className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3">
          <p role="status" className="text-sm text-emerald-800">{done.message}</p>
          <CopyField label="Invitation link" value={done.link} />
        </div>
      )}
    </form>
  );
}
