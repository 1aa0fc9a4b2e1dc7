'use client';
import { useState } from 'react';
import { buttonStyles } from '@/app/_components/button-styles';
import { setSsoEnforcementAction } from './actions';
import { FormError, inputStyles, labelStyles } from '../_components/form-parts';
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
      <div className="space-y-1">
        <label htmlFor="break-glass" className={labelStyles}>Break-glass owner (may still sign in any other way)</label>
        <select id="break-glass" value={breakGlass} onChange={(e) => setBreakGlass(e.target.value)} className={inputStyles}>
          <option value="">Nobody</option>
          {owners.map((o) => <option key={o.userId} value={o.userId}>{o.name ? `${o.name} (${o.email})` : o.email}</option>)}
        </select>
      </div>
      <FormError error={error} describe={(path) => (path === 'breakGlassUserId' ? 'Break-glass owner' : path === 'enforced' ? 'Enforcement' : path)} />
      <button type="submit" disabled={pending} className={buttonStyles.primary}>{pending ? 'Saving…' : 'Save enforcement'}</button>
    </form>
  );
}
