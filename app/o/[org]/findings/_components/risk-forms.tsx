'use client';
import { useId, useState } from 'react';
import { EXCEPTION_SCOPES, MAX_ACCEPTANCE_DAYS } from '@/lib/services/findings/schemas';
import { buttonStyles } from '@/app/_components/button-styles';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { inputStyles, labelStyles } from '@/app/_components/form-styles';
import { useOrgAction } from '@/app/_components/use-org-action';
import { decideExceptionAction, decideRiskAcceptanceAction, markFalsePositiveAction, requestRiskAcceptanceAction, revokeRiskAcceptanceAction } from '../actions';

/** Date bounds computed on the server (UTC), so the browser and the service agree on "at most a year". */
export type ExpiryBounds = { min: string; max: string };

const FIELD_NAMES: Record<string, string> = { justification: 'Justification', expiresAt: 'Expires on', reason: 'Reason', 'exception.scope': 'Scope', 'exception.expiresAt': 'Exception expires on' };
const describeField = (path: string) => FIELD_NAMES[path] ?? path;

export function RequestRiskAcceptanceForm({ org, findingId, bounds }: { org: string; findingId: string; bounds: ExpiryBounds }) {
  const id = useId();
  const [justification, setJustification] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      run(() => requestRiskAcceptanceAction(org, { findingId, justification, expiresAt: expiresOn }), {
        success: 'Risk acceptance requested. Another owner or admin must approve it.', onSuccess: () => { setJustification(''); setExpiresOn(''); },
      });
    }}>
      <div className="space-y-1">
        <label htmlFor={`${id}-why`} className={labelStyles}>Justification</label>
        <textarea id={`${id}-why`} required minLength={20} maxLength={5000} rows={4} value={justification} onChange={(e) => setJustification(e.target.value)}
          aria-describedby={`${id}-why-help`} className={inputStyles} />
        <p id={`${id}-why-help`} className="text-xs text-slate-500">What the risk is, why it is acceptable, and what limits it (at least 20 characters).</p>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-exp`} className={labelStyles}>Expires on</label>
        <input id={`${id}-exp`} type="date" required min={bounds.min} max={bounds.max} value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)}
          aria-describedby={`${id}-exp-help`} className={inputStyles} />
        <p id={`${id}-exp-help`} className="text-xs text-slate-500">At most {MAX_ACCEPTANCE_DAYS} days from today; the finding counts again after that.</p>
      </div>
      <button type="submit" disabled={pending} className={buttonStyles.secondary}>{pending ? 'Requesting…' : 'Request risk acceptance'}</button>
      <FormError error={error} describe={describeField} />
      <FormSuccess message={success} />
    </form>
  );
}

/** Approve or reject a pending request. The service refuses the requester's own decision and says so. */
export function RiskDecision({ org, riskAcceptanceId }: { org: string; riskAcceptanceId: string }) {
  const id = useId();
  const [note, setNote] = useState('');
  const { run, pending, error, success } = useOrgAction();
  const decide = (decision: 'approve' | 'reject') => run(
    () => decideRiskAcceptanceAction(org, { riskAcceptanceId, decision, ...(note.trim() ? { note } : {}) }),
    { success: decision === 'approve' ? 'Approved.' : 'Rejected.' },
  );
  return (
    <div className="mt-2 space-y-2">
      <label htmlFor={`${id}-note`} className="sr-only">Decision note (optional)</label>
      <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="Decision note (optional)" className={inputStyles} />
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} onClick={() => decide('approve')} className={buttonStyles.primary}>Approve</button>
        <button type="button" disabled={pending} onClick={() => decide('reject')} className={buttonStyles.secondary}>Reject</button>
      </div>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}

/** Approve or reject a namespace- or cluster-wide exception request; the service refuses the requester's own decision. */
export function ExceptionDecision({ org, exceptionId }: { org: string; exceptionId: string }) {
  const id = useId();
  const [note, setNote] = useState('');
  const { run, pending, error, success } = useOrgAction();
  const decide = (decision: 'approve' | 'reject') => run(
    () => decideExceptionAction(org, { exceptionId, decision, ...(note.trim() ? { note } : {}) }),
    { success: decision === 'approve' ? 'Exception approved.' : 'Exception rejected.' },
  );
  return (
    <div className="mt-2 space-y-2">
      <label htmlFor={`${id}-note`} className="sr-only">Decision note (optional)</label>
      <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="Decision note (optional)" className={inputStyles} />
      <div className="flex flex-wrap gap-2">
        <button type="button" disabled={pending} onClick={() => decide('approve')} className={buttonStyles.primary}>Approve exception</button>
        <button type="button" disabled={pending} onClick={() => decide('reject')} className={buttonStyles.secondary}>Reject exception</button>
      </div>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}

/** Withdraw one's own pending request, or (owner/admin) end an approved acceptance early. */
export function RevokeRisk({ org, riskAcceptanceId, label, confirm }: { org: string; riskAcceptanceId: string; label: string; confirm: string }) {
  const { run, pending, error } = useOrgAction();
  return (
    <div className="mt-2">
      <button type="button" disabled={pending} className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
        onClick={() => { if (window.confirm(confirm)) run(() => revokeRiskAcceptanceAction(org, { riskAcceptanceId })); }}>
        {pending ? 'Working…' : label}
      </button>
      <FormError error={error} />
    </div>
  );
}

const SCOPE_LABELS: Record<(typeof EXCEPTION_SCOPES)[number], string> = { RESOURCE: 'this resource', NAMESPACE: 'this namespace', CLUSTER: 'this whole cluster' };

/** Dismiss as a false positive; optionally stop the control reporting on the resource, namespace or cluster for a while. */
export function FalsePositiveForm({ org, findingId, bounds, namespaced, canException }: { org: string; findingId: string; bounds: ExpiryBounds; namespaced: boolean; canException: boolean }) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [withException, setWithException] = useState(false);
  const [scope, setScope] = useState<(typeof EXCEPTION_SCOPES)[number]>('RESOURCE');
  const [expiresOn, setExpiresOn] = useState('');
  const { run, pending, error, success } = useOrgAction();
  return (
    <form className="space-y-2" onSubmit={(event) => {
      event.preventDefault();
      const exception = withException ? { exception: { scope, expiresAt: expiresOn } } : {};
      run(() => markFalsePositiveAction(org, { findingId, reason, ...exception }), {
        success: (data) => (data.pendingApproval
          ? 'Exception requested. Another owner or admin must approve it; until then the finding stays as it is.'
          : 'Marked as a false positive.'),
      });
    }}>
      <div className="space-y-1">
        <label htmlFor={`${id}-reason`} className={labelStyles}>Why is this not a real problem?</label>
        <textarea id={`${id}-reason`} required minLength={10} maxLength={2000} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} className={inputStyles} />
      </div>
      {canException && (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium">Exception (optional)</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={withException} onChange={(e) => setWithException(e.target.checked)} className="size-4" />
            Also stop this control from reporting on…
          </label>
          {withException && (
            <>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {EXCEPTION_SCOPES.map((option) => (
                  <label key={option} className="inline-flex items-center gap-1.5 text-sm">
                    <input type="radio" name={`${id}-scope`} value={option} checked={scope === option} disabled={option === 'NAMESPACE' && !namespaced} onChange={() => setScope(option)} />
                    {SCOPE_LABELS[option]}
                  </label>
                ))}
              </div>
              <div className="space-y-1">
                <label htmlFor={`${id}-exp`} className={labelStyles}>Exception expires on</label>
                <input id={`${id}-exp`} type="date" required min={bounds.min} max={bounds.max} value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} className={inputStyles} />
              </div>
            </>
          )}
        </fieldset>
      )}
      <button type="submit" disabled={pending} className={buttonStyles.danger}>{pending ? 'Saving…' : 'Mark as false positive'}</button>
      <FormError error={error} describe={describeField} />
      <FormSuccess message={success} />
    </form>
  );
}
