import { DueDate } from '@/app/_components/due-date';
import { formatDateTime, formatDay } from '@/app/_components/date-format';
import { personName, type PersonRef } from '@/app/_components/person-name';
import { RevokeRisk, RiskDecision } from './risk-forms';

type Acceptance = {
  id: string; status: string; justification: string; expiresAt: Date; createdAt: Date; decidedAt: Date | null; decisionNote: string | null;
  requestedById: string; requestedBy: PersonRef | null; decidedBy: PersonRef | null;
};

const STATUS_STYLE: Record<string, string> = {
  PENDING: 'bg-amber-50 text-amber-900 ring-amber-200', APPROVED: 'bg-violet-50 text-violet-700 ring-violet-200',
  REJECTED: 'bg-red-50 text-red-700 ring-red-200', EXPIRED: 'bg-slate-50 text-slate-600 ring-slate-200', REVOKED: 'bg-slate-50 text-slate-600 ring-slate-200',
};

/** Requests newest first; a pending one offers approve/reject to owners and admins. */
export function RiskAcceptances({ org, items, me, canApprove, now }: { org: string; items: Acceptance[]; me: string | null; canApprove: boolean; now: Date }) {
  if (items.length === 0) return <p className="text-sm text-slate-500">None requested.</p>;
  return (
    <ul className="space-y-4 text-sm">
      {items.map((item) => {
        const mine = item.requestedById === me;
        return (
          <li key={item.id} className="rounded-lg border border-slate-200 p-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[item.status] ?? STATUS_STYLE.EXPIRED}`}>
                {item.status.charAt(0) + item.status.slice(1).toLowerCase()}
              </span>
              <span className="text-xs text-slate-600">until <DueDate date={item.expiresAt} overdue={false} /></span>
            </div>
            <p className="mt-2 whitespace-pre-wrap break-words">{item.justification}</p>
            <p className="mt-2 text-xs text-slate-600">
              Requested by {personName(item.requestedBy)} on {formatDay(item.createdAt)}
              {item.decidedAt && <>; {item.status === 'APPROVED' ? 'approved' : item.status === 'REJECTED' ? 'rejected' : 'decided'} by {personName(item.decidedBy)} on {formatDay(item.decidedAt)}</>}
            </p>
            {item.decisionNote && <p className="mt-1 text-xs text-slate-700">Note: {item.decisionNote}</p>}
            {item.status === 'PENDING' && item.expiresAt <= now && <p className="mt-1 text-xs text-amber-800">This request expired on {formatDateTime(item.expiresAt)} before anyone decided it.</p>}
            {item.status === 'PENDING' && mine && <p className="mt-2 text-xs text-slate-600">You requested this: another owner or admin must decide it.</p>}
            {/* Offered to every owner and admin; the service refuses the requester's own decision and the page shows why. */}
            {item.status === 'PENDING' && canApprove && <RiskDecision org={org} riskAcceptanceId={item.id} />}
            {item.status === 'PENDING' && mine && <RevokeRisk org={org} riskAcceptanceId={item.id} label="Withdraw my request" confirm="Withdraw this risk acceptance request?" />}
            {item.status === 'APPROVED' && canApprove && (
              <RevokeRisk org={org} riskAcceptanceId={item.id} label="Revoke acceptance" confirm="Revoke this risk acceptance? The finding becomes open again and counts against the score." />
            )}
          </li>
        );
      })}
    </ul>
  );
}
