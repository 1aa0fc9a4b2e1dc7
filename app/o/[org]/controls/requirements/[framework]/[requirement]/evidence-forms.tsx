'use client';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { Field, fieldIssue, SelectField, TextAreaField } from '@/app/_components/field';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';
import type { ActionError } from '@/lib/web/action';
import { EVIDENCE_UPLOAD_HEADER } from '@/lib/services/evidence/schemas';
import { closeEvidenceRequestAction, commentEvidenceRequestAction, requestEvidenceAction, reviewEvidenceAction, withdrawEvidenceAction } from '../../actions';

type Option = { value: string; label: string };
type Ref = { org: string; frameworkId: string; requirementId: string };

const FIELD_NAMES: Record<string, string> = {
  kind: 'Kind', title: 'Title', file: 'File', url: 'Link', attestation: 'Attestation', ownerUserId: 'Owner',
  collectedAt: 'Collected on', validUntil: 'Valid until', note: 'Reason', message: 'Message', dueDate: 'Due date', assigneeUserId: 'Ask', body: 'Comment',
};
const describe = (path: string) => FIELD_NAMES[path] ?? path;

/**
 * Adds evidence: a file (sent as multipart to the evidence API, which checks its type by its bytes and its size),
 * an https link or a written attestation, with its owner, collection date and validity.
 */
export function UploadEvidenceForm({ org, frameworkId, requirementId, owners, defaultOwner, today, defaultValidUntil, maxFileLabel }: Ref & {
  owners: Option[]; defaultOwner: string; today: string; defaultValidUntil: string; maxFileLabel: string;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<'file' | 'link' | 'attestation'>('file');
  const [error, setError] = useState<ActionError | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [formKey, setFormKey] = useState(0);

  return (
    <form
      key={formKey}
      noValidate
      aria-label="Add evidence"
      className="grid gap-4 md:grid-cols-2"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        data.set('frameworkId', frameworkId);
        data.set('requirementId', requirementId);
        if (kind !== 'file') data.delete('file');
        startTransition(async () => {
          setError(null);
          setSuccess(null);
          const response = await fetch(`/api/v1/orgs/${encodeURIComponent(org)}/evidence`, { method: 'POST', headers: { [EVIDENCE_UPLOAD_HEADER]: '1' }, body: data });
          const body = (await response.json().catch(() => null)) as { item?: { title: string }; error?: ActionError } | null;
          if (!response.ok || !body?.item) {
            setError(body?.error ?? { code: 'internal', message: `The upload failed (HTTP ${response.status})` });
            return;
          }
          setSuccess(`“${body.item.title}” added: it waits for review by an owner or admin other than you.`);
          setKind('file');
          setFormKey((k) => k + 1);
          router.refresh();
        });
      }}
    >
      <SelectField id="evidence-kind" name="kind" label="Kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)} error={fieldIssue(error, 'kind')}>
        <option value="file">File (PDF, PNG, JPEG or text)</option>
        <option value="link">Link (https)</option>
        <option value="attestation">Written attestation</option>
      </SelectField>
      <Field id="evidence-title" name="title" label="Title" required maxLength={200} error={fieldIssue(error, 'title')} hint="What it shows, e.g. “Information security policy v3”." />
      {kind === 'file' && (
        <Field id="evidence-file" name="file" type="file" label="File" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain"
          error={fieldIssue(error, 'file')} hint={`PDF, PNG, JPEG or plain text, at most ${maxFileLabel}. The type is checked from the file's content.`} />
      )}
      {kind === 'link' && <Field id="evidence-url" name="url" type="url" label="Link" placeholder="https://" maxLength={2000} error={fieldIssue(error, 'url')} />}
      {kind === 'attestation' && (
        <TextAreaField id="evidence-attestation" name="attestation" label="Attestation" rows={4} maxLength={10000} className="space-y-1 md:col-span-2"
          error={fieldIssue(error, 'attestation')} hint="What you state, as you would sign it." />
      )}
      <SelectField id="evidence-owner" name="ownerUserId" label="Owner" defaultValue={defaultOwner} error={fieldIssue(error, 'ownerUserId')} hint="Reminded before the evidence expires.">
        {owners.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </SelectField>
      <Field id="evidence-collected" name="collectedAt" type="date" label="Collected on" defaultValue={today} max={today} error={fieldIssue(error, 'collectedAt')} />
      <Field id="evidence-valid-until" name="validUntil" type="date" label="Valid until" defaultValue={defaultValidUntil} error={fieldIssue(error, 'validUntil')} />
      <div className="flex flex-wrap items-center gap-2 md:col-span-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Adding…' : 'Add evidence'}</button>
      </div>
      <div className="md:col-span-2"><FormError error={error} describe={describe} /><FormSuccess message={success} /></div>
    </form>
  );
}

/** Accept, or reject with a reason (the service refuses the uploader anyway). */
export function ReviewButtons({ org, evidenceId, title }: { org: string; evidenceId: string; title: string }) {
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState('');
  const { run, pending, error } = useOrgAction();
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} className={buttonStyles.primary} aria-label={`Accept ${title}`}
          onClick={() => run(() => reviewEvidenceAction(org, { evidenceId, decision: 'accepted' }))}>Accept</button>
        {!rejecting && <button type="button" disabled={pending} className={buttonStyles.secondary} aria-label={`Reject ${title}`} onClick={() => setRejecting(true)}>Reject…</button>}
      </div>
      {rejecting && (
        <form noValidate className="space-y-2" onSubmit={(e) => { e.preventDefault(); run(() => reviewEvidenceAction(org, { evidenceId, decision: 'rejected', note })); }}>
          <TextAreaField id={`reject-${evidenceId}`} label="Reason for rejecting" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} error={fieldIssue(error, 'note')} />
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={pending} className={buttonStyles.danger}>Reject</button>
            <button type="button" className={buttonStyles.secondary} onClick={() => setRejecting(false)}>Cancel</button>
          </div>
        </form>
      )}
      <FormError error={error} describe={describe} />
    </div>
  );
}

/** Asks for evidence: a message, a due date, and whom to ask (the SoA owner by default). */
export function RequestEvidenceForm({ org, frameworkId, requirementId, people, defaultAssignee, defaultDue, today }: Ref & { people: Option[]; defaultAssignee: string; defaultDue: string; today: string }) {
  const [values, setValues] = useState({ message: '', dueDate: defaultDue, assigneeUserId: defaultAssignee });
  const { run, pending, error, success } = useOrgAction();
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));
  return (
    <form noValidate aria-label="Request evidence" className="grid gap-4 md:grid-cols-2"
      onSubmit={(e) => { e.preventDefault(); run(() => requestEvidenceAction(org, { frameworkId, requirementId, ...values }), { success: 'Request sent.', onSuccess: () => setValues((v) => ({ ...v, message: '' })) }); }}>
      <TextAreaField id="request-message" label="What evidence do you need?" rows={3} maxLength={2000} className="space-y-1 md:col-span-2" value={values.message} onChange={set('message')} error={fieldIssue(error, 'message')} />
      <SelectField id="request-assignee" label="Ask" value={values.assigneeUserId} onChange={set('assigneeUserId')} error={fieldIssue(error, 'assigneeUserId')}
        hint={defaultAssignee ? 'The requirement\'s owner in the Statement of Applicability, unless you choose someone else.' : 'The requirement has no owner in the Statement of Applicability: choose a member.'}>
        <option value="">Choose a member</option>
        {people.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </SelectField>
      <Field id="request-due" type="date" label="Due date" min={today} value={values.dueDate} onChange={set('dueDate')} error={fieldIssue(error, 'dueDate')} />
      <div className="flex flex-wrap items-center gap-2 md:col-span-2">
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Sending…' : 'Request evidence'}</button>
      </div>
      <div className="md:col-span-2"><FormError error={error} describe={describe} /><FormSuccess message={success} /></div>
    </form>
  );
}

/** A comment in a request's thread. */
export function CommentForm({ org, requestId }: { org: string; requestId: string }) {
  const [body, setBody] = useState('');
  const { run, pending, error } = useOrgAction();
  return (
    <form noValidate className="space-y-2" onSubmit={(e) => { e.preventDefault(); run(() => commentEvidenceRequestAction(org, { requestId, body }), { onSuccess: () => setBody('') }); }}>
      <TextAreaField id={`comment-${requestId}`} label="Comment" rows={2} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} error={fieldIssue(error, 'body')} />
      <button type="submit" disabled={pending} className={buttonStyles.secondary}>{pending ? 'Posting…' : 'Post comment'}</button>
      <FormError error={error} describe={describe} />
    </form>
  );
}

export function CloseRequestButton({ org, requestId }: { org: string; requestId: string }) {
  const { run, pending, error } = useOrgAction();
  return (
    <div className="space-y-1">
      <button type="button" disabled={pending} className={buttonStyles.secondary} onClick={() => run(() => closeEvidenceRequestAction(org, { requestId }))}>Close request</button>
      <FormError error={error} />
    </div>
  );
}

/** Removes evidence not on record (the uploader's pending or rejected item, or a rejected one for owners and admins). */
export function WithdrawButton({ org, evidenceId, title, label }: { org: string; evidenceId: string; title: string; label: string }) {
  const { run, pending, error } = useOrgAction();
  return (
    <div className="space-y-1">
      <button type="button" disabled={pending} className={buttonStyles.secondary} aria-label={`${label} ${title}`}
        onClick={() => { if (window.confirm(`${label} “${title}”? This cannot be undone.`)) run(() => withdrawEvidenceAction(org, { evidenceId })); }}>{label}</button>
      <FormError error={error} />
    </div>
  );
}
