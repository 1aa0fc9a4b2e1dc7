'use client';
import { useState } from 'react';
import { decideItemsAction } from '../../actions';
import { useOrgAction } from '@/app/_components/use-org-action';
import { FormError, FormSuccess } from '@/app/_components/form-feedback';
import { compactInputStyles, labelStyles } from '@/app/_components/form-styles';
import { buttonStyles } from '@/app/_components/button-styles';

export type ItemRow = {
  id: string; cluster: string; subject: string; right: string; risks: string[]; privileged: boolean; isNew: boolean; chain: string;
  reviewer: string; decision: string | null; reason: string | null; decidedBy: string | null; decidedAt: string | null;
  revocation: 'open' | 'overdue' | 'done' | null; revocationClosedAt: string | null; mayDecide: boolean;
};

const small = 'inline-flex items-center rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60';

function ItemDecision({ org, campaignId, item }: { org: string; campaignId: string; item: ItemRow }) {
  const { run, pending, error, success } = useOrgAction();
  const [reason, setReason] = useState('');
  const decide = (decision: 'keep' | 'revoke') => run(() => decideItemsAction(org, { campaignId, itemIds: [item.id], decision, ...(reason ? { reason } : {}) }), { success: decision === 'keep' ? 'Kept.' : 'Revoked: the owners are asked to remove it.' });
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-1">
        <input aria-label={`Reason for ${item.subject}: ${item.right}`} className={`${compactInputStyles} w-44`} placeholder={item.privileged ? 'Reason (required to keep)' : 'Reason'} value={reason} onChange={(e) => setReason(e.target.value)} />
        <button type="button" className={small} disabled={pending} onClick={() => decide('keep')}>Keep<span className="sr-only"> {item.subject} {item.right}</span></button>
        <button type="button" className={small} disabled={pending} onClick={() => decide('revoke')}>Revoke<span className="sr-only"> {item.subject} {item.right}</span></button>
      </div>
      <FormError error={error} />
      <FormSuccess message={success} />
    </div>
  );
}

/** The items of a campaign: per-row keep/revoke with a reason, and a bulk decision with one shared reason. */
export function ReviewItems({ org, campaignId, items, active }: { org: string; campaignId: string; items: ItemRow[]; active: boolean }) {
  const { run, pending, error, success } = useOrgAction();
  const [selected, setSelected] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const decidable = items.filter((item) => item.mayDecide);
  const bulk = (decision: 'keep' | 'revoke') => run(() => decideItemsAction(org, { campaignId, itemIds: selected, decision, ...(reason ? { reason } : {}) }), {
    success: (data) => `${data.decided} item${data.decided === 1 ? '' : 's'} ${decision === 'keep' ? 'kept' : 'revoked'}.`, onSuccess: () => setSelected([]),
  });
  return (
    <div className="space-y-3">
      {active && decidable.length > 0 && (
        <div className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-slate-50 p-3">
          <div className="space-y-1">
            <label htmlFor="bulk-reason" className={labelStyles}>Shared reason for the selected items</label>
            <input id="bulk-reason" className={`${compactInputStyles} w-72`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="button" className={buttonStyles.secondary} disabled={pending || selected.length === 0} onClick={() => bulk('keep')}>Keep selected ({selected.length})</button>
          <button type="button" className={buttonStyles.secondary} disabled={pending || selected.length === 0} onClick={() => bulk('revoke')}>Revoke selected ({selected.length})</button>
          <div className="w-full"><FormError error={error} /><FormSuccess message={success} /></div>
        </div>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              {active && <th scope="col" className="py-2 pr-2"><input type="checkbox" aria-label="Select every item you may decide" checked={decidable.length > 0 && selected.length === decidable.length} onChange={(e) => setSelected(e.target.checked ? decidable.map((i) => i.id) : [])} /></th>}
              <th scope="col" className="py-2 pr-4">Subject</th><th scope="col" className="py-2 pr-4">Right</th><th scope="col" className="py-2 pr-4">Reviewer</th><th scope="col" className="py-2 pr-4">Decision</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {items.map((item) => (
              <tr key={item.id} data-testid="review-item">
                {active && <td className="py-2 pr-2">{item.mayDecide && <input type="checkbox" aria-label={`Select ${item.subject}: ${item.right}`} checked={selected.includes(item.id)} onChange={(e) => setSelected((ids) => (e.target.checked ? [...ids, item.id] : ids.filter((v) => v !== item.id)))} />}</td>}
                <td className="py-2 pr-4"><div className="font-medium">{item.subject}</div><div className="text-xs text-slate-500">{item.cluster}{item.isNew ? <span className="ml-1 rounded bg-sky-100 px-1 text-sky-800">new</span> : null}</div></td>
                <td className="py-2 pr-4"><div>{item.right}</div>{item.risks.length > 0 && <div className="mt-0.5 flex flex-wrap gap-1">{item.risks.map((r) => <span key={r} className="rounded bg-amber-100 px-1 text-xs text-amber-900">{r}</span>)}</div>}<div className="text-xs text-slate-500">{item.chain}</div></td>
                <td className="py-2 pr-4">{item.reviewer}</td>
                <td className="py-2 pr-4">
                  {item.decision && (
                    <div className="mb-1">
                      <span className={item.decision === 'keep' ? 'font-medium text-emerald-700' : 'font-medium text-red-700'}>{item.decision === 'keep' ? 'Kept' : 'Revoked'}</span>
                      <span className="text-xs text-slate-500"> by {item.decidedBy} {item.decidedAt?.slice(0, 10)}</span>
                      {item.reason && <div className="text-xs text-slate-700">“{item.reason}”</div>}
                      {item.revocation === 'done' && <div className="text-xs text-emerald-700">Carried out: gone from the snapshot of {item.revocationClosedAt?.slice(0, 10)}</div>}
                      {item.revocation === 'open' && <div className="text-xs text-amber-800">Revocation open: still granted</div>}
                      {item.revocation === 'overdue' && <div className="text-xs font-medium text-red-700">Revocation overdue: still granted after the due date</div>}
                    </div>
                  )}
                  {active && item.mayDecide && <ItemDecision org={org} campaignId={campaignId} item={item} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
