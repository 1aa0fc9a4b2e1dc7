'use client';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { TICKET_SEVERITIES } from '@/lib/services/tickets/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
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
        <div className="space-y-1">
          <label htmlFor={`${id}-title`} className={labelStyles}>Title</label>
          <input id={`${id}-title`} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} className={inputStyles} />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-sev`} className={labelStyles}>Severity</label>
          <select id={`${id}-sev`} value={severity} onChange={(e) => setSeverity(e.target.value)} className={inputStyles}>
            {TICKET_SEVERITIES.map((sev) => <option key={sev} value={sev}>{sev}</option>)}
          </select>
        </div>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-desc`} className={labelStyles}>Description</label>
        <textarea id={`${id}-desc`} rows={3} maxLength={20_000} value={description} onChange={(e) => setDescription(e.target.value)} className={inputStyles} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor={`${id}-assignee`} className={labelStyles}>Assignee</label>
          <select id={`${id}-assignee`} value={assignee} onChange={(e) => setAssignee(e.target.value)} className={inputStyles}>
            <option value="">Nobody yet</option>
            {members.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-due`} className={labelStyles}>Due date</label>
          <input id={`${id}-due`} type="date" min={today} value={due} onChange={(e) => setDue(e.target.value)} className={inputStyles} />
        </div>
      </div>
      <button type="submit" disabled={pending || !title.trim()} className={buttonStyles.primary}>{pending ? 'Creating…' : 'Create ticket'}</button>
      <FormError error={error} describe={(path) => FIELD_NAMES[path] ?? path} />
    </form>
  );
}
