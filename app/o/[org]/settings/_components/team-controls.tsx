'use client';
import { useId, useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { addTeamMemberAction, deleteTeamAction, renameTeamAction } from '../actions';
import { FormError } from '@/app/_components/form-feedback';
import { inputStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';

/** Rename and delete, in the team card's header. */
export function TeamHeaderControls({ org, team }: { org: string; team: { id: string; name: string; assignedFindings: number } }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(team.name);
  const { run, pending, error } = useOrgAction();
  if (editing) {
    return (
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          run(() => renameTeamAction(org, { teamId: team.id, name }), { onSuccess: () => setEditing(false) });
        }}
      >
        <label htmlFor={id} className="sr-only">New name for {team.name}</label>
        <input id={id} autoFocus required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} className={`${inputStyles} w-40 py-1`} />
        <button type="submit" disabled={pending} className={buttonStyles.secondary}>Save</button>
        <button type="button" onClick={() => { setEditing(false); setName(team.name); }} className={buttonStyles.link}>Cancel</button>
        <div className="w-full"><FormError error={error} describe={() => 'Team name'} /></div>
      </form>
    );
  }
  const consequence = team.assignedFindings > 0 ? ` Its ${team.assignedFindings} assigned finding${team.assignedFindings === 1 ? '' : 's'} become unassigned.` : '';
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button type="button" onClick={() => setEditing(true)} aria-label={`Rename ${team.name}`} className="text-sm font-medium text-brand-600 hover:underline">Rename</button>
      <button
        type="button"
        disabled={pending}
        aria-label={`Delete ${team.name}`}
        className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
        onClick={() => { if (window.confirm(`Delete the team “${team.name}”?${consequence}`)) run(() => deleteTeamAction(org, { teamId: team.id })); }}
      >
        {pending ? 'Deleting…' : 'Delete'}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error.message}</span>}
    </div>
  );
}

/** Adds one of the organization's members who is not in the team yet. */
export function AddTeamMemberForm({ org, teamId, teamName, candidates }: { org: string; teamId: string; teamName: string; candidates: { id: string; label: string }[] }) {
  const id = useId();
  const [userId, setUserId] = useState('');
  const { run, pending, error } = useOrgAction();
  if (candidates.length === 0) return <p className="text-xs text-slate-500">Every member is in this team.</p>;
  return (
    <form
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (userId) run(() => addTeamMemberAction(org, { teamId, userId }), { onSuccess: () => setUserId('') });
      }}
    >
      <label htmlFor={id} className="sr-only">Member to add to {teamName}</label>
      <select id={id} value={userId} onChange={(e) => setUserId(e.target.value)} className={`${inputStyles} w-auto max-w-full py-1.5`}>
        <option value="">Choose a member…</option>
        {candidates.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
      </select>
      <button type="submit" disabled={pending || !userId} className={buttonStyles.secondary}>{pending ? 'Adding…' : 'Add to team'}</button>
      {error && <p role="alert" className="w-full text-xs text-red-700">{error.message}</p>}
    </form>
  );
}
