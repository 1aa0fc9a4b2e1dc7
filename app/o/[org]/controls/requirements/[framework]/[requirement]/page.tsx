import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireOrgContext } from '@/lib/web/context';
import { actorUserId } from '@/lib/platform/auth/context';
import { can } from '@/lib/platform/auth/permissions';
import { isAppError } from '@/lib/platform/errors';
import { frameworkFromAlias } from '@/lib/analysis/frameworks';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import type { EvidenceState } from '@/lib/analysis/frameworks/compliance-status';
import { formatBytes, type EvidenceItemView } from '@/lib/services/evidence/evidence';
import { requirementEvidence } from '@/lib/services/evidence/read-requirement';
import { requirementStanding, type RequirementControl } from '@/lib/services/scores/failing-requirements';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { formatDateTime, formatDay, dayAfter } from '@/app/_components/date-format';
import { CloseRequestButton, CommentForm, RequestEvidenceForm, ReviewButtons, UploadEvidenceForm, WithdrawButton } from './evidence-forms';

export const metadata: Metadata = { title: 'Requirement evidence' };
export const dynamic = 'force-dynamic';

const STATE_TEXT: Record<EvidenceState, { label: string; className: string }> = {
  current: { label: 'Evidence provided', className: 'bg-emerald-50 text-emerald-700 ring-emerald-200' },
  expired: { label: 'Evidence expired', className: 'bg-red-50 text-red-700 ring-red-200' },
  requested: { label: 'Evidence requested', className: 'bg-amber-50 text-amber-800 ring-amber-200' },
  none: { label: 'No evidence', className: 'bg-slate-50 text-slate-600 ring-slate-200' },
};
const ITEM_STATUS: Record<string, { label: string; className: string }> = {
  pending: { label: 'Pending review', className: 'bg-amber-50 text-amber-800 ring-amber-200' },
  accepted: { label: 'Accepted', className: 'bg-emerald-50 text-emerald-700 ring-emerald-200' },
  rejected: { label: 'Rejected', className: 'bg-red-50 text-red-700 ring-red-200' },
  expired: { label: 'Expired', className: 'bg-red-50 text-red-700 ring-red-200' },
};
const KIND_LABEL = { file: 'File', link: 'Link', attestation: 'Attestation' } as const;

function Pill({ label, className, testId }: { label: string; className: string; testId?: string }) {
  return <span data-testid={testId} className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${className}`}>{label}</span>;
}

export default async function RequirementPage({ params }: { params: Promise<{ org: string; framework: string; requirement: string }> }) {
  const { org, framework: frameworkParam, requirement: requirementParam } = await params;
  const ctx = await requireOrgContext(org);
  const frameworkId = frameworkFromAlias(decodeURIComponent(frameworkParam), (await getCisBenchmark(ctx)).version);
  if (!frameworkId) notFound();
  let view;
  try {
    view = await requirementEvidence(ctx, frameworkId, decodeURIComponent(requirementParam));
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
  const standing = await requirementStanding(ctx, frameworkId, view.requirementId);
  const me = actorUserId(ctx);
  const now = new Date();
  const today = formatDay(now);
  const canDownload = can(ctx, 'evidence.download');
  const canReview = can(ctx, 'evidence.review');
  const state = STATE_TEXT[view.state];
  const people = view.people.map((p) => ({ value: p.userId, label: p.label }));
  const openRequests = view.requests.filter((r) => r.status === 'open').length;

  return (
    <>
      <PageHeader
        title={`${view.requirementId}: ${view.title}`}
        description={<>{view.frameworkName} · {view.assessment === 'manual' ? 'Assessed with evidence only' : view.assessment === 'partial' ? 'Assessed partly by Bulwark\'s controls, partly with evidence' : 'Assessed by Bulwark\'s controls'}</>}
      />
      <nav aria-label="Breadcrumb" className="mb-4 flex flex-wrap gap-3 text-sm">
        <Link href={`/o/${org}/controls/soa/${frameworkId}`} className="text-brand-600 hover:underline">← Statement of Applicability</Link>
        <Link href={`/o/${org}/controls?framework=${frameworkId}`} className="text-brand-600 hover:underline">Controls of this framework</Link>
      </nav>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Requirement" className="lg:col-span-2">
          <p className="text-sm text-slate-700">{view.description}</p>
          {view.manualEvidence && <p className="mt-2 text-sm text-slate-600"><span className="font-medium">Evidence to bring:</span> {view.manualEvidence}</p>}
        </Card>
        <Card title="Evidence state">
          <p className="text-sm"><Pill label={state.label} className={state.className} testId="evidence-state" /></p>
          <p className="mt-2 text-xs text-slate-500">
            Provided means evidence accepted by a reviewer other than its uploader and within its validity. {openRequests > 0 && `${openRequests} open request${openRequests === 1 ? '' : 's'}.`}
          </p>
        </Card>
      </div>

      <Card title={`Controls (${standing.controls.length})`} className="mt-4">
        {standing.controls.length === 0 ? (
          <p className="text-sm text-slate-600">{standing.status === null ? 'No cluster has an evaluated snapshot yet.' : 'No control decides this requirement on the clusters in scope.'}</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">
              Across the clusters in scope the requirement <strong data-testid="requirement-standing">{standing.status === 'fail' ? 'fails' : standing.status === 'pass' ? 'passes' : standing.status?.replace('_', ' ')}</strong>. Controls that decide it, Bulwark&rsquo;s and your organization&rsquo;s own:
            </p>
            {/* Failing ones and the organization's own first; the rest (often dozens of catalog controls) folded. */}
            <ul className="divide-y divide-slate-100 text-sm" aria-label="Controls deciding this requirement">
              {standing.controls.filter((c) => c.status === 'fail' || c.own).map((control) => <ControlRow key={control.id} control={control} />)}
            </ul>
            {standing.controls.some((c) => c.status !== 'fail' && !c.own) && (
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer text-slate-600 hover:text-slate-900">{standing.controls.filter((c) => c.status !== 'fail' && !c.own).length} more of Bulwark&rsquo;s controls</summary>
                <ul className="divide-y divide-slate-100" aria-label="Other controls deciding this requirement">
                  {standing.controls.filter((c) => c.status !== 'fail' && !c.own).map((control) => <ControlRow key={control.id} control={control} />)}
                </ul>
              </details>
            )}
          </>
        )}
      </Card>

      <Card title={`Evidence (${view.items.length})`} className="mt-4">
        {view.items.length === 0 ? <p className="text-sm text-slate-600">No evidence yet.</p> : (
          <ul className="divide-y divide-slate-100" aria-label="Evidence">
            {view.items.map((item) => (
              <EvidenceRow key={item.id} org={org} item={item} canDownload={canDownload} canReview={canReview && item.status === 'pending' && item.uploadedById !== me}
                withdraw={item.status === 'pending' && item.uploadedById === me ? 'Withdraw' : item.status === 'rejected' && (item.uploadedById === me || canReview) ? 'Remove' : null} />
            ))}
          </ul>
        )}
      </Card>

      {can(ctx, 'evidence.upload') && (
        <Card title="Add evidence" className="mt-4">
          <UploadEvidenceForm org={org} frameworkId={frameworkId} requirementId={view.requirementId} owners={people}
            defaultOwner={view.soaOwnerUserId ?? me ?? ''} today={today} defaultValidUntil={dayAfter(now, 365)} maxFileLabel={view.maxFileLabel} />
        </Card>
      )}

      <Card title={`Evidence requests (${view.requests.length})`} className="mt-4">
        {view.requests.length === 0 ? <p className="text-sm text-slate-600">Nobody has asked for evidence on this requirement.</p> : (
          <ul className="space-y-4" aria-label="Evidence requests">
            {view.requests.map((r) => (
              <li key={r.id} className="rounded-lg border border-slate-200 p-3" data-testid="evidence-request">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Pill label={r.status === 'open' ? (r.overdue ? 'Open, overdue' : 'Open') : r.closeReason === 'accepted' ? 'Closed: evidence accepted' : 'Closed'}
                    className={r.status === 'open' ? (r.overdue ? ITEM_STATUS.rejected!.className : ITEM_STATUS.pending!.className) : ITEM_STATUS.accepted!.className} />
                  <span className="text-slate-600">due {formatDay(r.dueDate)} · asked by {r.askedByLabel} on {formatDay(r.createdAt)} · to {r.assigneeLabel ?? 'a former member'}</span>
                </div>
                <p className="mt-2 whitespace-pre-wrap break-words text-sm">{r.message}</p>
                {r.comments.length > 0 && (
                  <ol className="mt-3 space-y-2 border-l-2 border-slate-100 pl-3" aria-label="Thread">
                    {r.comments.map((c) => (
                      <li key={c.id} className="text-sm">
                        <p className="text-xs text-slate-500">{c.authorLabel} · {formatDateTime(c.createdAt)}</p>
                        <p className="whitespace-pre-wrap break-words">{c.body}</p>
                      </li>
                    ))}
                  </ol>
                )}
                {r.status === 'open' && (
                  <div className="mt-3 space-y-3">
                    {can(ctx, 'evidence.comment') && <CommentForm org={org} requestId={r.id} />}
                    {r.askedById === me && <CloseRequestButton org={org} requestId={r.id} />}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        {can(ctx, 'evidence.request') && (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <h3 className="mb-3 text-sm font-semibold text-slate-800">Request evidence</h3>
            <RequestEvidenceForm org={org} frameworkId={frameworkId} requirementId={view.requirementId} people={people}
              defaultAssignee={view.soaOwnerUserId ?? ''} defaultDue={dayAfter(now, 14)} today={today} />
          </div>
        )}
      </Card>
    </>
  );
}

function EvidenceRow({ org, item, canDownload, canReview, withdraw }: { org: string; item: EvidenceItemView; canDownload: boolean; canReview: boolean; withdraw: string | null }) {
  const status = ITEM_STATUS[item.expired ? 'expired' : item.status]!;
  return (
    <li id={`evidence-${item.id}`} className="scroll-mt-20 py-3 first:pt-0 last:pb-0" data-testid="evidence-item">
      <div className="flex flex-col gap-3 md:flex-row md:items-start md:justify-between">
        <div className="min-w-0 space-y-1 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium break-words">{item.title}</span>
            <Pill label={status.label} className={status.className} testId="evidence-item-status" />
            <span className="text-xs text-slate-500">{KIND_LABEL[item.kind]}</span>
          </p>
          {item.kind === 'file' && item.fileName && (
            <p className="break-all">
              {canDownload
                ? <a href={`/api/v1/orgs/${encodeURIComponent(org)}/evidence/${item.id}/file`} download className="text-brand-600 hover:underline">{item.fileName}</a>
                : <span>{item.fileName}</span>}
              <span className="text-xs text-slate-500"> · {formatBytes(item.sizeBytes ?? 0)}</span>
            </p>
          )}
          {item.kind === 'link' && item.url && <p className="break-all"><a href={item.url} rel="noopener noreferrer nofollow" target="_blank" className="text-brand-600 hover:underline">{item.url}</a></p>}
          {item.kind === 'attestation' && item.attestation && <p className="whitespace-pre-wrap break-words text-slate-700">{item.attestation}</p>}
          <dl className="grid grid-cols-1 gap-x-4 gap-y-0.5 text-xs text-slate-600 sm:grid-cols-2">
            <div><dt className="inline">Owner: </dt><dd className="inline">{item.ownerLabel ?? 'none (left the organization)'}</dd></div>
            <div><dt className="inline">Collected: </dt><dd className="inline">{formatDay(item.collectedAt)}</dd></div>
            <div><dt className="inline">Valid until: </dt><dd className="inline">{formatDay(item.validUntil)}</dd></div>
            <div><dt className="inline">Added by: </dt><dd className="inline break-all">{item.uploadedByLabel}</dd></div>
            <div className="sm:col-span-2"><dt className="inline">Reviewer: </dt><dd className="inline break-all">
              {item.reviewedByLabel ? `${item.reviewedByLabel} on ${formatDateTime(item.reviewedAt!)}${item.reviewNote ? ` · “${item.reviewNote}”` : ''}` : 'not reviewed yet'}
            </dd></div>
          </dl>
        </div>
        {(canReview || withdraw) && (
          <div className="flex shrink-0 flex-col gap-2">
            {canReview && <ReviewButtons org={org} evidenceId={item.id} title={item.title} />}
            {withdraw && <WithdrawButton org={org} evidenceId={item.id} title={item.title} label={withdraw} />}
          </div>
        )}
      </div>
    </li>
  );
}

const CONTROL_STATUS: Record<RequirementControl['status'], { label: string; className: string }> = {
  pass: { label: 'Passes', className: 'bg-emerald-50 text-emerald-700 ring-emerald-200' },
  accepted: { label: 'Passes by risk acceptance', className: 'bg-emerald-50 text-emerald-700 ring-emerald-200' },
  fail: { label: 'Fails', className: 'bg-red-50 text-red-700 ring-red-200' },
  not_applicable: { label: 'Not applicable', className: 'bg-slate-50 text-slate-600 ring-slate-200' },
  provider_responsibility: { label: 'Provider', className: 'bg-slate-50 text-slate-600 ring-slate-200' },
};

function ControlRow({ control }: { control: RequirementControl }) {
  const status = CONTROL_STATUS[control.status];
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2" data-testid={control.own ? 'own-control' : 'catalog-control'}>
      <span className="min-w-0 flex-1 break-words">
        {control.title} <code className="text-xs text-slate-500">{control.id}</code>
        {control.own && <span className="ml-1 text-xs text-slate-600">· your organization&rsquo;s control{control.own.versions.length > 0 ? `, ${control.own.versions.map((v) => `v${v}`).join(', ')}` : ''}</span>}
      </span>
      <Pill label={status.label} className={status.className} />
      {control.openFindings > 0 && <span className="text-xs text-slate-600">{control.openFindings} open finding{control.openFindings === 1 ? '' : 's'}</span>}
    </li>
  );
}
