'use client';
import { useState } from 'react';
import { CopyField } from '@/app/_components/copy-field';
import { resendInvitationAction } from '../actions';
import { invitationUrl } from './invite-member-form';
import { useOrgAction } from '@/app/_components/use-org-action';

/** Makes a new link for an invitation (the old one stops working) and shows it once. */
export function ResendInvitationButton({ org, invitationId, email, label }: { org: string; invitationId: string; email: string; label: string }) {
  const [link, setLink] = useState<string | null>(null);
  const { run, pending, error } = useOrgAction();
  return (
    <span className="inline-flex w-full flex-col items-end gap-1">
      <button type="button" disabled={pending} aria-label={`${label} for ${email}`} className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60"
        onClick={() => run(() => resendInvitationAction(org, { invitationId }), { onSuccess: (data) => setLink(invitationUrl(data.token)) })}>
        {pending ? 'Working…' : label}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error.message}</span>}
      {link && (
        <span className="block w-full max-w-md text-left">
          <CopyField label={`New invitation link for ${email}`} value={link} />
          <span className="text-xs text-slate-500">Shown only once; the previous link no longer works.</span>
        </span>
      )}
    </span>
  );
}
