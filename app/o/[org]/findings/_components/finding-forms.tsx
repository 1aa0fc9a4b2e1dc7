'use client';
import Link from 'next/link';
import { useId, useState } from 'react';
import { TICKET_SEVERITIES } from '@/lib/services/tickets/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { Field, SelectField, TextAreaField } from '@/app/_components/field';
import { useOrgAction } from '@/app/_components/use-org-action';
import { acknowledgeFindingsAction, addCommentAction, assignFindingsAction, setDueDateAction } from '../actions';
import { createTicketAction } from '../../tickets/actions';

export type Option = { id: string; label: string };
type FormProps = { org: string; findingIds: string[]; onDone?: () => void };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** A due date picked as a day is due by the end of that day (UTC), so it is not overdue while the day lasts. */
export function endOfDay(day: string): string {
  return `${day}T23:59:59Z`;
}

export function AcknowledgeForm({ org, findingIds, onDone, withNote = false }: FormProps & { withNote?: boolean }) {
  const id = useId();
  const [note, setNote] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      run(() => acknowledgeFindingsAction(org, { findingIds, ...(note.trim() ? { note } : {}) }), {
        success: (data) => `Acknowledged ${plural(data.acknowledged, 'finding')}.`, onSuccess: () => { setNote(''); onDone?.(); },
      });
    }}>
      {withNote && (
        <Field id={`${id}-note`} label="Note (optional)" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="Fix planned for the next release" />
      )}
      <button type="submit" disabled={pending || findingIds.length === 0} className={buttonStyles.secondary}>{pending ? 'Acknowledging…' : 'Acknowledge'}</button>
      {/* The message counts the selected findings that are not open; one issue per finding would be a wall of ids. */}
      <FormError error={error && { ...error, issues: undefined }} />
      <FormSuccess message={success} />
    </form>
  );
}

/**
 * Person and team are set independently: "leave as is" keeps the current value (bulk), "nobody" clears it.
 * The service refuses a person who is not a member and a team of another organization.
 */
export function AssignForm({ org, findingIds, onDone, members, teams, current }: FormProps & {
  members: Option[]; teams: Option[]; current?: { userId: string | null; teamId: string | null };
}) {
  const id = useId();
  const initial = (value: string | null | undefined) => (current ? (value ?? 'none') : '');
  const [userId, setUserId] = useState(initial(current?.userId));
  const [teamId, setTeamId] = useState(initial(current?.teamId));
  const { run, pending, error, success } = useOrgAction();
  const pick = (value: string) => (value === '' ? undefined : value === 'none' ? null : value);
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      const input = { findingIds, assigneeUserId: pick(userId), assigneeTeamId: pick(teamId) };
      run(() => assignFindingsAction(org, input), { success: (data) => `Assignment saved on ${plural(data.assigned, 'finding')}.`, onSuccess: onDone });
    }}>
      <div className="grid gap-2 sm:grid-cols-2">
        <SelectField id={`${id}-user`} label="Assign to person" value={userId} onChange={(e) => setUserId(e.target.value)}>
          {!current && <option value="">Leave as is</option>}
          <option value="none">Nobody</option>
          {members.map((member) => <option key={member.id} value={member.id}>{member.label}</option>)}
        </SelectField>
        <SelectField id={`${id}-team`} label="Assign to team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          {!current && <option value="">Leave as is</option>}
          <option value="none">No team</option>
          {teams.map((team) => <option key={team.id} value={team.id}>{team.label}</option>)}
        </SelectField>
      </div>
      <button type="submit" disabled={pending || findingIds.length === 0 || (userId === '' && teamId === '')} className={buttonStyles.secondary}>
        {pending ? 'Saving…' : 'Assign'}
      </button>
      <FormError error={error} describe={(path) => (path.startsWith('assigneeTeam') ? 'Team' : 'Person')} />
      <FormSuccess message={success} />
    </form>
  );
}

export function DueDateForm({ org, findingIds, onDone, current, today }: FormProps & { current?: string | null; today: string }) {
  const id = useId();
  const [day, setDay] = useState(current ?? '');
  const { run, pending, error, success } = useOrgAction();
  const save = (dueAt: string | null) => run(() => setDueDateAction(org, { findingIds, dueAt }), {
    success: (data) => (dueAt ? `Due date set on ${plural(data.updated, 'finding')}.` : `Due date cleared on ${plural(data.updated, 'finding')}.`),
    onSuccess: onDone,
  });
  return (
    <form className="space-y-2" onSubmit={(event) => { event.preventDefault(); if (day) save(endOfDay(day)); }}>
      <Field id={`${id}-due`} label="Due date" type="date" required min={today} value={day} onChange={(e) => setDay(e.target.value)} hint="Due by the end of that day (UTC)." />
      <div className="flex flex-wrap gap-2">
        <button type="submit" disabled={pending || !day || findingIds.length === 0} className={buttonStyles.secondary}>{pending ? 'Saving…' : 'Set due date'}</button>
        <button type="button" disabled={pending || findingIds.length === 0} onClick={() => save(null)} className={buttonStyles.link}>Clear due date</button>
      </div>
      <FormError error={error} describe={() => 'Due date'} />
      <FormSuccess message={success} />
    </form>
  );
}

export function CommentForm({ org, findingIds, onDone }: FormProps) {
  const id = useId();
  const [body, setBody] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      run(() => addCommentAction(org, { findingIds, body }), {
        success: (data) => (data.count === 1 ? 'Comment added.' : `Comment added to ${plural(data.count, 'finding')}.`), onSuccess: () => { setBody(''); onDone?.(); },
      });
    }}>
      <TextAreaField id={`${id}-body`} label="Comment" required rows={3} maxLength={5000} value={body} onChange={(e) => setBody(e.target.value)} />
      <button type="submit" disabled={pending || !body.trim() || findingIds.length === 0} className={buttonStyles.secondary}>{pending ? 'Saving…' : 'Add comment'}</button>
      <FormError error={error} describe={() => 'Comment'} />
      <FormSuccess message={success} />
    </form>
  );
}

export function OpenTicketForm({ org, findingIds, onDone, defaultTitle = '', defaultSeverity = 'SEV3' }: FormProps & { defaultTitle?: string; defaultSeverity?: (typeof TICKET_SEVERITIES)[number] }) {
  const id = useId();
  const [title, setTitle] = useState(defaultTitle);
  const [severity, setSeverity] = useState<string>(defaultSeverity);
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      run(() => createTicketAction(org, { title, severity, findingIds }), {
        success: (data) => <>Ticket <Link href={`/o/${org}/tickets/${data.number}`} className="font-medium underline">#{data.number}</Link> opened with {plural(findingIds.length, 'finding')}.</>,
        onSuccess: onDone,
      });
    }}>
      <div className="grid gap-2 sm:grid-cols-[1fr_auto]">
        <Field id={`${id}-title`} label="Ticket title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
        <SelectField id={`${id}-sev`} label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
          {TICKET_SEVERITIES.map((sev) => <option key={sev} value={sev}>{sev}</option>)}
        </SelectField>
      </div>
      <button type="submit" disabled={pending || !title.trim() || findingIds.length === 0} className={buttonStyles.secondary}>{pending ? 'Opening…' : 'Open ticket'}</button>
      <FormError error={error} describe={(path) => (path === 'title' ? 'Title' : path === 'severity' ? 'Severity' : path)} />
      <FormSuccess message={success} />
    </form>
  );
}
