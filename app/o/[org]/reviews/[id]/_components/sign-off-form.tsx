'use client';
import { useState } from 'react';
import { signOffCampaignAction } from '../../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { TextAreaField, fieldIssue } from '@/app/_components/field';
import { buttonStyles } from '@/app/_components/button-styles';

/** An admin signs the campaign off with a summary (every item must be decided). */
export function SignOffForm({ org, campaignId }: { org: string; campaignId: string }) {
  const { run, pending, error, success } = useOrgAction();
  const [summary, setSummary] = useState('');
  return (
    <form className="space-y-3" onSubmit={(event) => { event.preventDefault(); run(() => signOffCampaignAction(org, { campaignId, summary }), { success: 'Signed off: the campaign is now evidence in ISO 27001 reports.' }); }}>
      <TextAreaField id="sign-off-summary" label="Summary" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} error={fieldIssue(error, 'summary')} hint="What was reviewed, what was revoked, anything left to follow up." />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>Sign off</button>
      <FormError error={error} />
      <FormSuccess message={success} />
    </form>
  );
}
