'use client';
import { useId, useState } from 'react';
import { TICKET_SEVERITIES, TICKET_STATUSES } from '@/lib/services/tickets/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { Field, SelectField, TextAreaField } from '@/app/_components/field';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';
import { addTicketUpdateAction, updateTicketAction } from '../actions';
import { ticketStatusLabel } from './ticket-status-badge';

type Status = (typeof TICKET_STATUSES)[number];
type Option = { id: string; label: string };
const FIELD_NAMES: Record<string, string> = {
  title: 'Title', description: 'Description', severity: 'Severity', assigneeUserId: 'Assignee', dueAt: 'Due date',
  rootCause: 'Root cause', resolution: 'Resolution', followUps: 'Follow-ups', status: 'Status',
};
const describeField = (path: string) => FIELD_NAMES[path] ?? path;

/** Forward-only: one button per later status short of CLOSED, which needs the closing fields. */
export function StatusButtons({ org, ticketId, status }: { org: string; ticketId: string; status: Status }) {
  const { run, pending, error, success } = useOrgAction();
  const next = TICKET_STATUSES.slice(TICKET_STATUSES.indexOf(status) + 1).filter((s) => s !== 'CLOSED');
  if (next.length === 0) return null;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        {next.map((target, index) => (
          <button key={target} type="button" disabled={pending} className={index === 0 ? buttonStyles.primary : buttonStyles.secondary}
            onClick={() => run(() => updateTicketAction(org, { ticketId, status: target }), { success: `Moved to ${ticketStatusLabel(target)}.` })}>
            Move to {ticketStatusLabel(target)}
          </button>
        ))}
      </div>
      <FormError error={error} describe={describeField} />
      <FormSuccess message={success} />
    </div>
  );
}

/**
 * Root cause and resolution are required to close; follow-ups are what the review decided to do next. With
 * linked findings still open (or acknowledged), closing asks first, saying how many.
 */
export function ClosingForm({ org, ticketId, initial, openFindings = 0 }: {
  org: string; ticketId: string; initial: { rootCause: string | null; resolution: string | null; followUps: string | null }; openFindings?: number;
}) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [rootCause, setRootCause] = useState(initial.rootCause ?? '');
  const [resolution, setResolution] = useState(initial.resolution ?? '');
  const [followUps, setFollowUps] = useState(initial.followUps ?? '');
  const { run, pending, error, success } = useOrgAction();
  const fields = { rootCause: rootCause.trim() || null, resolution: resolution.trim() || null, followUps: followUps.trim() || null };
  const issue = (path: string) => error?.issues?.find((i) => i.path === path)?.message;
  const area = (key: 'rootCause' | 'resolution' | 'followUps', label: string, value: string, set: (v: string) => void, help: string) => (
    <div className="space-y-1">
      <label htmlFor={`${id}-${key}`} className={labelStyles}>{label}</label>
      <textarea id={`${id}-${key}`} rows={3} maxLength={20_000} value={value} onChange={(e) => set(e.target.value)} aria-invalid={issue(key) ? true : undefined}
        aria-describedby={`${id}-${key}-help`} className={inputStyles} />
      <p id={`${id}-${key}-help`} className={`text-xs ${issue(key) ? 'text-red-700' : 'text-slate-500'}`}>{issue(key) ?? help}</p>
    </div>
  );
  return (
    <form className="space-y-3" onSubmit={(event) => {
      event.preventDefault();
      if (openFindings > 0 && !confirming) { setConfirming(true); return; }
      setConfirming(false);
      run(() => updateTicketAction(org, { ticketId, status: 'CLOSED', ...fields }), { success: 'Ticket closed.' });
    }}>
      {area('rootCause', 'Root cause', rootCause, setRootCause, 'Required to close: why it happened.')}
      {area('resolution', 'Resolution', resolution, setResolution, 'Required to close: what fixed it.')}
      {area('followUps', 'Follow-ups', followUps, setFollowUps, 'What should change so it does not happen again (optional).')}
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} className={buttonStyles.secondary}
          onClick={() => run(() => updateTicketAction(org, { ticketId, ...fields }), { success: 'Saved.' })}>Save without closing</button>
        {!confirming && <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Close ticket'}</button>}
      </div>
      {confirming && (
        <div role="alertdialog" aria-labelledby={`${id}-confirm`} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <p id={`${id}-confirm`}>
            {openFindings === 1 ? '1 linked finding is' : `${openFindings} linked findings are`} still open. Close the ticket anyway? Its timeline will say so.
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={pending} autoFocus className={buttonStyles.danger}>{pending ? 'Closing…' : 'Close anyway'}</button>
            <button type="button" className={buttonStyles.secondary} onClick={() => setConfirming(false)}>Keep it open</button>
          </div>
        </div>
      )}
      <FormError error={error} describe={describeField} />
      <FormSuccess message={success} />
    </form>
  );
}

export function EditTicketForm({ org, ticket, members }: {
  org: string; members: Option[];
  ticket: { id: string; title: string; description: string; severity: string; assigneeUserId: string | null; dueAt: string | null };
}) {
  const id = useId();
  const [title, setTitle] = useState(ticket.title);
  const [description, setDescription] = useState(ticket.description);
  const [severity, setSeverity] = useState(ticket.severity);
  const [assignee, setAssignee] = useState(ticket.assigneeUserId ?? '');
  const [due, setDue] = useState(ticket.dueAt ?? '');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-3" onSubmit={(event) => {
      event.preventDefault();
      const input = { ticketId: ticket.id, title, description, severity, assigneeUserId: assignee || null, dueAt: due ? `${due}T23:59:59Z` : null };
      run(() => updateTicketAction(org, input), { success: 'Saved.' });
    }}>
      <Field id={`${id}-title`} label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField id={`${id}-sev`} label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {TICKET_SEVERITIES.map((s) => <option key={s} value={s}>{s}</option>)}
        </SelectField>
        <SelectField id={`${id}-assignee`} label="Assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">Nobody</option>
          {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </SelectField>
        <Field id={`${id}-due`} label="Due date" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <TextAreaField id={`${id}-desc`} label="Description" rows={4} maxLength={20_000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <button type="submit" disabled={pending || !title.trim()} className={buttonStyles.secondary}>{pending ? 'Saving…' : 'Save changes'}</button>
      <FormError error={error} describe={describeField} />
      <FormSuccess message={success} />
    </form>
  );
}

/** A note on the timeline ("rolled back the deployment"); closed tickets take notes too. */
export function TicketNoteForm({ org, ticketId }: { org: string; ticketId: string }) {
  const id = useId();
  const [body, setBody] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      run(() => addTicketUpdateAction(org, { ticketId, body }), { success: 'Update added.', onSuccess: () => setBody('') });
    }}>
      <TextAreaField id={`${id}-body`} label="Add an update" className="space-y-2" required rows={3} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" disabled={pending || !body.trim()} className={buttonStyles.secondary}>{pending ? 'Adding…' : 'Add update'}</button>
      <FormError error={error} describe={() => 'Update'} />
      <FormSuccess message={success} />
    </form>
  );
}
