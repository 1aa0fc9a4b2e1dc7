'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { fieldIssue, SelectField, TextAreaField } from '@/app/_components/field';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import { approveSoaVersionAction, setSoaDecisionAction } from '../actions';

type Option = { value: string; label: string };

export type DecisionFormProps = {
  org: string;
  frameworkId: string;
  requirementId: string;
  initial: { applicability: string; justification: string; implementationStatus: string; ownerUserId: string };
  applicabilities: Option[];
  implementationStatuses: Option[];
  owners: Option[];
  /** Where to go once saved (the table, at the requirement's row). */
  doneHref: string;
};

const FIELD_NAMES: Record<string, string> = { applicability: 'Applicability', justification: 'Justification', implementationStatus: 'Implementation status', ownerUserId: 'Owner' };

/** One requirement's decision: applicability, justification (required to exclude or leave to the provider), status, owner. */
export function DecisionForm({ org, frameworkId, requirementId, initial, applicabilities, implementationStatuses, owners, doneHref }: DecisionFormProps) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const { run, pending, error } = useOrgAction();
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));
  const needsJustification = values.applicability !== 'applicable';
  return (
    <form
      noValidate
      aria-label={`Decision for ${requirementId}`}
      className="grid gap-4 md:grid-cols-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => setSoaDecisionAction(org, { frameworkId, requirementId, ...values }), { onSuccess: () => router.push(doneHref) });
      }}
    >
      <SelectField id="soa-applicability" label="Applicability" value={values.applicability} onChange={set('applicability')} error={fieldIssue(error, 'applicability')}>
        {applicabilities.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </SelectField>
      <SelectField id="soa-owner" label="Owner" value={values.ownerUserId} onChange={set('ownerUserId')} error={fieldIssue(error, 'ownerUserId')}
        hint="A member who carries out the requirement and brings its evidence.">
        <option value="">No owner</option>
        {owners.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </SelectField>
      <SelectField id="soa-implementation" label="Implementation status" value={values.implementationStatus} onChange={set('implementationStatus')} error={fieldIssue(error, 'implementationStatus')}>
        <option value="">Not recorded</option>
        {implementationStatuses.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </SelectField>
      <TextAreaField id="soa-justification" label={needsJustification ? 'Justification (required)' : 'Justification'} rows={3} maxLength={2000}
        value={values.justification} onChange={set('justification')} error={fieldIssue(error, 'justification')}
        hint="Why the requirement is excluded, or what the provider does. Auditors read it in the SoA and the report." />
      <div className="flex flex-wrap items-center gap-2 md:col-span-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save decision'}</button>
        <Link href={doneHref} className={buttonStyles.secondary}>Cancel</Link>
      </div>
      <div className="md:col-span-2"><FormError error={error} describe={(path) => FIELD_NAMES[path] ?? path} /></div>
    </form>
  );
}

/** Approves the draft as the next version, with a note. */
export function ApproveForm({ org, frameworkId, nextVersion, disabledReason }: { org: string; frameworkId: string; nextVersion: number; disabledReason: string | null }) {
  const [note, setNote] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => approveSoaVersionAction(org, { frameworkId, note }), { success: (data) => `Version ${data.version} approved.`, onSuccess: () => setNote('') });
      }}
    >
      <TextAreaField id="soa-approval-note" label="Approval note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)}
        error={fieldIssue(error, 'note')} hint="What this version is for (an audit, a scope change); kept with the version." />
      <button type="submit" disabled={pending || disabledReason !== null} className={buttonStyles.primary}>
        {pending ? 'Approving…' : `Approve as version ${nextVersion}`}
      </button>
      {disabledReason && <p className="text-xs text-slate-500">{disabledReason}</p>}
      <FormError error={error} describe={(path) => (path === 'note' ? 'Approval note' : path)} />
      <FormSuccess message={success} />
    </form>
  );
}
