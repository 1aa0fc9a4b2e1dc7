import { DueDate } from '@/app/_components/due-date';
import { formatDay } from '@/app/_components/date-format';
import { personName, type PersonRef } from '@/app/_components/person-name';
import { ExceptionDecision } from './risk-forms';

type ExceptionRequest = {
  id: string; status: string; scope: string; namespace: string | null; reason: string; expiresAt: Date; createdAt: Date;
  decidedAt: Date | null; decisionNote: string | null; createdById: string; requestedBy: PersonRef | null; decidedBy: PersonRef | null;
};

const STATUS_STYLE: Record<string, string> = {
  PENDING: 'bg-amber-50 text-amber-900 ring-amber-200', APPROVED: 'bg-violet-50 text-violet-700 ring-violet-200', REJECTED: 'bg-red-50 text-red-700 ring-red-200',
};

/** Namespace- and cluster-wide exceptions requested from this finding; a pending one offers approve/reject to owners and admins. */
export function ExceptionRequests({ org, items, me, canApprove }: { org: string; items: ExceptionRequest[]; me: string | null; canApprove: boolean }) {
  return (
    <ul className="space-y-4 text-sm">
      {items.map((item) => {
        const mine = item.createdById === me;
        const scope = item.scope === 'CLUSTER' ? 'this whole cluster' : `namespace ${item.namespace ?? '?'}`;
        return (
          <li key={item.id} className="rounded-lg border border-slate-200 p-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[item.status] ?? STATUS_STYLE.REJECTED}`}>
                {item.status.charAt(0) + item.status.slice(1).toLowerCase()}
              </span>
              <span className="text-xs text-slate-600">{scope}, until <DueDate date={item.expiresAt} overdue={false} /></span>
            </div>
            <p className="mt-2 whitespace-pre-wrap break-words">{item.reason}</p>
            <p className="mt-2 text-xs text-slate-600">
              Requested by {personName(item.requestedBy)} on {formatDay(item.createdAt)}
              {item.decidedAt && <>; {item.status === 'APPROVED' ? 'approved' : 'rejected'} by {personName(item.decidedBy)} on {formatDay(item.decidedAt)}</>}
            </p>
            {item.decisionNote && <p className="mt-1 text-xs text-slate-700">Note: {item.decisionNote}</p>}
            {item.status === 'PENDING' && <p className="mt-2 text-xs text-slate-600">Until approved it suppresses nothing: this control keeps reporting in {scope}.</p>}
            {item.status === 'PENDING' && mine && <p className="mt-1 text-xs text-slate-600">You requested this: another owner or admin must decide it.</p>}
            {item.status === 'PENDING' && canApprove && <ExceptionDecision org={org} exceptionId={item.id} />}
          </li>
        );
      })}
    </ul>
  );
}
