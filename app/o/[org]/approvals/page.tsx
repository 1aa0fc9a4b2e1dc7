import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { findingPath } from '@/lib/platform/app-links';
import { listPendingApprovals, PENDING_APPROVALS_LIMIT, type PendingException, type PendingRiskAcceptance } from '@/lib/services/findings/pending-approvals';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { Forbidden } from '@/app/_components/forbidden';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { TimeAgo } from '@/app/_components/time-ago';
import { formatDay } from '@/app/_components/date-format';
import { personName } from '@/app/_components/person-name';
import { ExceptionDecision, RiskDecision } from '../findings/_components/risk-forms';

export const metadata: Metadata = { title: 'Approvals' };
export const dynamic = 'force-dynamic';

const SCOPE_LABELS = { RESOURCE: 'one resource', NAMESPACE: 'a whole namespace', CLUSTER: 'a whole cluster' } as const;

export default async function ApprovalsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'risk.approve')) return <Forbidden what="decide risk acceptances and exceptions" />;
  const now = new Date();
  const queue = await listPendingApprovals(ctx, now);
  const mine = queue.total - queue.awaitingYou;
  const description = queue.total === 0
    ? 'Nothing is waiting for a decision.'
    : `${queue.awaitingYou} waiting for your decision${mine > 0 ? `, ${mine} of your own waiting for another owner or admin` : ''}. Oldest first.`;

  return (
    <>
      <PageHeader title="Approvals" description={description} />
      {queue.total === 0 ? (
        <EmptyState title="No pending requests" action={null}>
          Risk acceptance requests and namespace- or cluster-wide exception requests appear here until an owner or admin other than the requester decides them.
        </EmptyState>
      ) : (
        <div className="space-y-8">
          <section aria-labelledby="risk-heading">
            <h2 id="risk-heading" className="mb-3 text-base font-semibold text-slate-900">Risk acceptances ({queue.riskAcceptances.length})</h2>
            {queue.riskAcceptances.length === 0 ? <p className="text-sm text-slate-600">No risk acceptance requests are pending.</p> : (
              <ul className="space-y-3">
                {queue.riskAcceptances.map((item) => <RiskItem key={item.id} org={org} item={item} now={now} />)}
              </ul>
            )}
          </section>
          <section aria-labelledby="exception-heading">
            <h2 id="exception-heading" className="mb-3 text-base font-semibold text-slate-900">Exceptions ({queue.exceptions.length})</h2>
            {queue.exceptions.length === 0 ? <p className="text-sm text-slate-600">No exception requests are pending.</p> : (
              <ul className="space-y-3">
                {queue.exceptions.map((item) => <ExceptionItem key={item.id} org={org} item={item} now={now} />)}
              </ul>
            )}
          </section>
          {(queue.riskAcceptances.length === PENDING_APPROVALS_LIMIT || queue.exceptions.length === PENDING_APPROVALS_LIMIT) && (
            <p className="text-sm text-slate-600">The oldest {PENDING_APPROVALS_LIMIT} of each kind are shown; decide these to see the rest.</p>
          )}
        </div>
      )}
    </>
  );
}

function Requested({ by, at, now }: { by: PendingRiskAcceptance['requestedBy']; at: Date; now: Date }) {
  return <>Requested by {personName(by)} <TimeAgo date={at} now={now} /></>;
}

function RiskItem({ org, item, now }: { org: string; item: PendingRiskAcceptance; now: Date }) {
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="approval-risk">
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={item.finding.severity} />
        <Link href={findingPath(org, item.findingId)} className="break-words font-medium text-brand-700 hover:underline">{item.finding.message}</Link>
      </div>
      <p className="mt-1 break-words text-sm text-slate-600">{item.finding.resource} on {item.finding.clusterName} · {item.finding.controlId}</p>
      <p className="mt-2 text-sm text-slate-600"><Requested by={item.requestedBy} at={item.createdAt} now={now} /> · would expire {formatDay(item.expiresAt)}</p>
      <blockquote className="mt-2 whitespace-pre-wrap break-words border-l-2 border-slate-300 pl-3 text-sm text-slate-800">{item.justification}</blockquote>
      {item.canDecide
        ? <RiskDecision org={org} riskAcceptanceId={item.id} />
        : <p className="mt-2 text-sm text-slate-600">Your own request: another owner or admin must decide it.</p>}
    </li>
  );
}

function ExceptionItem({ org, item, now }: { org: string; item: PendingException; now: Date }) {
  const where = [item.clusterName, item.namespace && `namespace ${item.namespace}`, item.resource].filter(Boolean).join(' · ');
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="approval-exception">
      <p className="font-medium text-slate-900">
        Stop reporting {item.controlId} for {SCOPE_LABELS[item.scope]}
        {item.findingId && <> · <Link href={findingPath(org, item.findingId)} className="text-brand-700 hover:underline">the finding it came from</Link></>}
      </p>
      {where && <p className="mt-1 break-words text-sm text-slate-600">{where}</p>}
      <p className="mt-2 text-sm text-slate-600"><Requested by={item.requestedBy} at={item.createdAt} now={now} /> · would expire {formatDay(item.expiresAt)}</p>
      <blockquote className="mt-2 whitespace-pre-wrap break-words border-l-2 border-slate-300 pl-3 text-sm text-slate-800">{item.reason}</blockquote>
      {item.canDecide
        ? <ExceptionDecision org={org} exceptionId={item.id} />
        : <p className="mt-2 text-sm text-slate-600">Your own request: another owner or admin must decide it.</p>}
    </li>
  );
}
