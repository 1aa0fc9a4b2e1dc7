'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { TICKET_SEVERITIES } from '@/lib/services/tickets/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError } from '@/app/_components/form-feedback';
import { Field, SelectField, TextAreaField } from '@/app/_components/field';
import { useOrgAction } from '@/app/_components/use-org-action';
import { createTicketAction } from '../actions';

type Option = { id: string; label: string };
const FIELD_NAMES: Record<string, string> = { title: 'Title', description: 'Description', severity: 'Severity', assigneeUserId: 'Assignee', dueAt: 'Due date' };

/** A standalone ticket (an incident not found by a control); opens the new ticket's page when created. */
export function NewTicketForm({ org, members, today }: { org: string; members: Option[]; today: string }) {
  const id = useId();
  const router = useRouter();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<string>('SEV3');
  const [assignee, setAssignee] = useState('');
  const [due, setDue] = useState('');
  const { run, pending, error } = useOrgAction();
  return (
    <form aria-label="New ticket" className="space-y-3" onSubmit={(event) => {
      event.preventDefault();
      const input = { title, description, severity, assigneeUserId: assignee || null, dueAt: due ? `${due}T23:59:59Z` : null };
      run(() => createTicketAction(org, input), { onSuccess: (data) => router.push(`/o/${org}/tickets/${data.number}`) });
    }}>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto]">
        <Field id={`${id}-title`} label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        <SelectField id={`${id}-sev`} label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {TICKET_SEVERITIES.map((sev) => <option key={sev} value={sev}>{sev}</option>)}
        </SelectField>
      </div>
      <TextAreaField id={`${id}-desc`} label="Description" rows={3} maxLength={20_000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField id={`${id}-assignee`} label="Assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">Nobody yet</option>
          {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </SelectField>
        <Field id={`${id}-due`} label="Due date" type="date" min={today} value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <button type="submit" disabled={pending || !title.trim()} className={buttonStyles.primary}>{pending ? 'Creating…' : 'Create ticket'}</button>
      <FormError error={error} describe={(path) => FIELD_NAMES[path] ?? path} />
    </form>
  );
}
