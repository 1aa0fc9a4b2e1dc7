'use client';
import { useState } from 'react';
import { approveExternalRecipientAction } from '../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { buttonStyles } from '@/app/_components/button-styles';

/** One external auditor's address, approved as a recipient of scheduled reports. */
export function ApproveRecipientForm({ org }: { org: string }) {
  const { run, pending, error, success } = useOrgAction();
  const [email, setEmail] = useState('');
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => approveExternalRecipientAction(org, { email }), { success: (d) => `${d.email} approved.`, onSuccess: () => setEmail('') });
      }}
    >
      <div className="space-y-1">
        <label htmlFor="recipient-email" className={labelStyles}>E-mail address</label>
        <input id="recipient-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} className={inputStyles} placeholder="auditor@audit-firm.example" />
      </div>
      <FormError error={error} describe={() => 'E-mail address'} />
      <FormSuccess message={success} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Approving…' : 'Approve address'}</button>
    </form>
  );
}
