'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { createTeamAction } from '../actions';
import { FieldError, fieldIssue } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';

export function CreateTeamForm({ org }: { org: string }) {
  const [name, setName] = useState('');
  const { run, pending, error } = useOrgAction();
  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => createTeamAction(org, { name }), { onSuccess: () => setName('') });
      }}
    >
      <label htmlFor="team-name" className={labelStyles}>Team name</label>
      <div className="flex flex-wrap gap-2">
        <input id="team-name" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} placeholder="Platform"
          aria-invalid={fieldIssue(error, 'name') ? true : undefined} aria-describedby="team-name-error" className={`${inputStyles} max-w-sm flex-1`} />
        <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Creating…' : 'Create team'}</button>
      </div>
      <FieldError id="team-name-error" message={fieldIssue(error, 'name')} />
      <FormError error={error} describe={(path) => (path === 'name' ? 'Team name' : path)} />
    </form>
  );
}
