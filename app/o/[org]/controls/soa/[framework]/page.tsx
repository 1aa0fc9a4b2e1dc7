import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { frameworkFromAlias, frameworkIdsForCis, frameworkTitle } from '@/lib/analysis/frameworks';
import { getCisBenchmark } from '@/lib/services/orgs/settings';
import { COMPLIANCE_STATUSES, COMPLIANCE_STATUS_DEFINITIONS, COMPLIANCE_STATUS_LABELS } from '@/lib/analysis/frameworks/compliance-status';
import { getSoa, listSoaOwnerCandidates } from '@/lib/services/soa/read-soa';
import { APPLICABILITIES, APPLICABILITY_LABELS, IMPLEMENTATION_LABELS, IMPLEMENTATION_STATUSES } from '@/lib/services/soa/types';
import { PageHeader } from '@/app/_components/page-header';
import { Card } from '@/app/_components/card';
import { ComplianceStatusBadge } from '@/app/_components/compliance-status-badge';
import { formatDateTime } from '@/app/_components/date-format';
import { ApproveForm, DecisionForm } from './soa-forms';

export const metadata: Metadata = { title: 'Statement of Applicability' };
export const dynamic = 'force-dynamic';

const QuerySchema = z.object({ edit: z.string().max(40).optional().catch(undefined) });

export default async function SoaPage({ params, searchParams }: { params: Promise<{ org: string; framework: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org, framework: frameworkParam } = await params;
  const ctx = await requireOrgContext(org);
  const key = decodeURIComponent(frameworkParam);
  const cis = await getCisBenchmark(ctx);
  const frameworkId = frameworkFromAlias(key, cis.version);
  if (!frameworkId) notFound();
  const query = QuerySchema.parse(await searchParams);
  const canEdit = can(ctx, 'soa.edit');
  const [soa, owners] = await Promise.all([getSoa(ctx, frameworkId), canEdit ? listSoaOwnerCandidates(ctx) : Promise.resolve([])]);
  const base = `/o/${org}/controls/soa/${frameworkId}`;
  const editing = canEdit && query.edit ? soa.requirements.find((r) => r.requirementId === query.edit) : undefined;
  const changed = new Set(soa.changed);
  const nextVersion = (soa.latest?.version ?? 0) + 1;
  const rowId = (id: string) => `req-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;

  return (
    <>
      <PageHeader
        title={`Statement of Applicability: ${soa.frameworkName}`}
        description={<><span data-testid="soa-coverage">{soa.frameworkName}: {soa.coverage}</span>. Each requirement is applicable, excluded (with a justification) or the provider&apos;s responsibility, with an owner and an implementation status.</>}
      />
      <nav aria-label="Frameworks" className="mb-4 flex flex-wrap gap-2 text-sm">
        {/* The organization's frameworks (its CIS version), and this one when a link named the other CIS version. */}
        {[...new Set([...frameworkIdsForCis(cis.version), frameworkId])].map((id) => ({ id, name: frameworkTitle(id) })).map((f) => (
          <Link key={f.id} href={`/o/${org}/controls/soa/${f.id}`} aria-current={f.id === frameworkId ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 ring-1 ring-inset ${f.id === frameworkId ? 'bg-slate-800 text-white ring-slate-800' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}>
            {f.name}
          </Link>
        ))}
        <Link href={`/o/${org}/controls?framework=${frameworkId}`} className="px-1 py-1.5 text-brand-600 hover:underline">Controls of this framework →</Link>
      </nav>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Approved version" className="lg:col-span-2">
          <div data-testid="soa-version" className="space-y-1 text-sm">
            {soa.latest ? (
              <p>
                <span className="font-semibold">Version {soa.latest.version}</span>, approved by {soa.latest.approvedBy.label} on {formatDateTime(soa.latest.approvedAt)}
                {soa.latest.note && <> · “{soa.latest.note}”</>}
              </p>
            ) : <p>No version approved yet: the Statement of Applicability below is a draft.</p>}
            <p className="text-slate-600">
              {soa.changed.length === 0
                ? (soa.latest ? 'The draft is the same as the approved version.' : 'Nobody has decided a requirement yet: each is applicable by default.')
                : `${soa.changed.length} requirement${soa.changed.length === 1 ? '' : 's'} changed ${soa.latest ? `since version ${soa.latest.version}` : 'in the draft'}: ${soa.changed.join(', ')}.`}
            </p>
          </div>
          {can(ctx, 'soa.approve') && (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <ApproveForm org={org} frameworkId={frameworkId} nextVersion={nextVersion}
                disabledReason={soa.latest && soa.changed.length === 0 ? `Nothing changed since version ${soa.latest.version}.` : null} />
            </div>
          )}
        </Card>
        <Card title="Statuses">
          <dl className="space-y-1.5 text-sm">
            {COMPLIANCE_STATUSES.map((status) => (
              <div key={status} className="flex items-start justify-between gap-2">
                <dt title={COMPLIANCE_STATUS_DEFINITIONS[status]}>{COMPLIANCE_STATUS_LABELS[status]}</dt>
                <dd className="tabular-nums" data-testid={`soa-count-${status}`}>{soa.summary.byStatus[status]}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>

      {editing && (
        <Card title={`Decide ${editing.requirementId}: ${editing.title}`} className="mt-4">
          {editing.note && <p className="mb-3 text-sm text-slate-600">{editing.note}</p>}
          <DecisionForm
            org={org}
            frameworkId={frameworkId}
            requirementId={editing.requirementId}
            initial={{ applicability: editing.applicability, justification: editing.justification ?? '', implementationStatus: editing.implementationStatus ?? '', ownerUserId: editing.owner?.userId ?? '' }}
            applicabilities={APPLICABILITIES.map((value) => ({ value, label: APPLICABILITY_LABELS[value] }))}
            implementationStatuses={IMPLEMENTATION_STATUSES.map((value) => ({ value, label: IMPLEMENTATION_LABELS[value] }))}
            owners={owners.map((o) => ({ value: o.userId, label: o.label }))}
            doneHref={`${base}#${rowId(editing.requirementId)}`}
          />
        </Card>
      )}

      <Card title={`Requirements (${soa.requirements.length})`} className="mt-4">
        <div className="-mx-4 overflow-x-auto px-4">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th scope="col" className="py-2 pr-3">Requirement</th>
                <th scope="col" className="pr-3">Status</th>
                <th scope="col" className="pr-3">Applicability</th>
                <th scope="col" className="pr-3">Owner</th>
                <th scope="col" className="pr-3">Implementation</th>
                {canEdit && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {soa.requirements.map((r) => (
                <tr key={r.requirementId} id={rowId(r.requirementId)} data-testid={`soa-row-${r.requirementId}`} className="align-top">
                  <td className="py-2 pr-3">
                    <span className="font-mono text-xs text-slate-500">{r.requirementId}</span>{' '}
                    <Link href={`/o/${org}/controls/requirements/${frameworkId}/${encodeURIComponent(r.requirementId)}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">{r.title}</Link>
                    {changed.has(r.requirementId) && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900">changed in draft</span>}
                    <p className="text-xs text-slate-500">{r.assessedByBulwark ? 'Assessed by Bulwark\'s controls' : 'Not assessed by Bulwark\'s controls'}</p>
                  </td>
                  <td className="py-2 pr-3"><ComplianceStatusBadge status={r.status} /></td>
                  <td className="py-2 pr-3">
                    {APPLICABILITY_LABELS[r.applicability]}{!r.decided && <span className="text-slate-500"> (default)</span>}
                    {r.justification && <p className="max-w-xs text-xs text-slate-600">{r.justification}</p>}
                    {r.decidedBy && r.decidedAt && <p className="text-xs text-slate-500">by {r.decidedBy.label}, {formatDateTime(r.decidedAt)}</p>}
                  </td>
                  <td className="py-2 pr-3">{r.owner?.label ?? <span className="text-slate-500">–</span>}</td>
                  <td className="py-2 pr-3">{r.implementationStatus ? IMPLEMENTATION_LABELS[r.implementationStatus] : <span className="text-slate-500">Not recorded</span>}</td>
                  {canEdit && (
                    <td className="py-2 text-right">
                      <Link href={`${base}?edit=${encodeURIComponent(r.requirementId)}`} className="text-brand-600 hover:underline" aria-label={`Edit ${r.requirementId}`}>Edit</Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card title="Version history" className="mt-4">
        {soa.versions.length === 0 ? <p className="text-sm text-slate-500">No version approved yet.</p> : (
          <ol className="space-y-2 text-sm" data-testid="soa-versions">
            {soa.versions.map((v) => (
              <li key={v.id} className="flex flex-wrap gap-x-2">
                <span className="font-semibold">Version {v.version}</span>
                <span>approved by {v.approvedBy.label}</span>
                <span className="text-slate-500">{formatDateTime(v.approvedAt)}</span>
                {v.note && <span className="w-full text-slate-700">“{v.note}”</span>}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </>
  );
}
