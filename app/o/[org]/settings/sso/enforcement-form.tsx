'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { setSsoEnforcementAction } from './actions';
import { SelectField } from '@/app/_components/field';
import { FormError } from '@/app/_components/form-feedback';
import { useOrgAction } from '@/app/_components/use-org-action';

export function EnforcementForm({ org, enforced, breakGlassUserId, owners }: {
  org: string; enforced: boolean; breakGlassUserId: string | null; owners: { userId: string; email: string; name: string | null }[];
}) {
  const [on, setOn] = useState(enforced);
  const [breakGlass, setBreakGlass] = useState(breakGlassUserId ?? '');
  const { run, pending, error } = useOrgAction();
  return (
    <form noValidate className="space-y-3" onSubmit={(event) => { event.preventDefault(); run(() => setSsoEnforcementAction(org, { enforced: on, breakGlassUserId: breakGlass || null })); }}>
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />
        Require single sign-on through this organization&apos;s own connections
      </label>
      <SelectField id="break-glass" label="Break-glass owner (may still sign in any other way)" value={breakGlass} onChange={(e) => setBreakGlass(e.target.value)}>
        <option value="">Nobody</option>
        {owners.map((o) => <option key={o.userId} value={o.userId}>{o.name ? `${o.name} (${o.email})` : o.email}</option>)}
      </SelectField>
      <FormError error={error} describe={(path) => (path === 'breakGlassUserId' ? 'Break-glass owner' : path === 'enforced' ? 'Enforcement' : path)} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save enforcement'}</button>
    </form>
  );
}
