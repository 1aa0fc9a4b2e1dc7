import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listOrgFrameworks } from '@/lib/services/policies/org-frameworks';
import { PageHeader } from '@/app/_components/page-header';
import { ScoreTrendChart } from '@/app/_components/score-trend-chart';
import { CreateFrameworkForm } from './create-framework-form';

export const metadata: Metadata = { title: 'Your frameworks' };
export const dynamic = 'force-dynamic';

const STATUS_STYLE = { pass: 'text-emerald-700', fail: 'text-red-700', not_applicable: 'text-slate-500', manual: 'text-slate-500' } as const;
const CONTROL_STATUS = { pass: 'passes', fail: 'fails', accepted: 'passes by risk acceptance', not_applicable: 'not applicable' } as const;

/** The organization's own frameworks: a named set of requirements its custom controls map to, each with a score. */
export default async function OrgFrameworksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const frameworks = await listOrgFrameworks(ctx);
  return (
    <>
      <PageHeader title="Your frameworks" description="Requirements of the organization's own policy. Custom controls map to them as <key>:<code>; the score counts requirements passed over those decided." actions={<Link href={`/o/${org}/controls/custom`} className="text-sm font-medium text-brand-600 hover:underline">Custom controls</Link>} />
      <div className="space-y-4">
        {frameworks.length === 0 && <p className="text-sm text-slate-600">No framework of your own yet.</p>}
        {frameworks.map((f) => (
          <section key={f.id} aria-labelledby={`fw-${f.id}`} className="rounded-xl border border-slate-200 bg-white p-4" data-testid="org-framework">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 id={`fw-${f.id}`} className="text-base font-semibold">{f.name} <span className="text-xs font-normal text-slate-500">({f.key})</span></h2>
              <p className="text-sm" data-testid="org-framework-score"><strong>{f.score.score}%</strong> · {f.score.passed} passed, {f.score.failed} failed, {f.score.manual} without a control</p>
            </div>
            {f.description && <p className="mt-1 text-sm text-slate-600">{f.description}</p>}
            <ul className="mt-3 divide-y divide-slate-100 text-sm">
              {f.requirements.map((r) => (
                <li key={r.code} className="flex flex-wrap justify-between gap-2 py-1.5" data-testid={`org-requirement-${r.code}`}>
                  <span className="min-w-0"><code>{f.key}:{r.code}</code> {r.title}</span>
                  <span className={STATUS_STYLE[r.status]}>{r.status === 'not_applicable' ? 'n/a' : r.status}</span>
                  {r.controls.length > 0 && (
                    <ul className="w-full pl-4 text-xs text-slate-600" aria-label={`Controls of ${r.code}`}>
                      {r.controls.map((c) => (
                        <li key={c.controlId}>
                          {c.title} <span className="text-slate-500">(your organization&rsquo;s control {c.controlId}{c.versions.length > 0 ? `, ${c.versions.map((v) => `v${v}`).join(', ')}` : ''})</span>: {CONTROL_STATUS[c.status]}{c.openFindings > 0 ? `, ${c.openFindings} open finding${c.openFindings === 1 ? '' : 's'}` : ''}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
            <div className="mt-3">
              <h3 className="text-sm font-medium text-slate-700">Score history (90 days)</h3>
              <ScoreTrendChart data={f.trend} label={f.name} />
            </div>
            <p className="mt-2 text-sm">
              <Link href={`/o/${org}/reports?framework=${encodeURIComponent(f.scoreId)}`} className="font-medium text-brand-600 hover:underline">Request a report</Link>
            </p>
          </section>
        ))}
      </div>
      {can(ctx, 'policy.manage') && (
        <section aria-labelledby="new-framework" className="mt-6 rounded-xl border border-slate-200 bg-white p-4">
          <h2 id="new-framework" className="text-base font-semibold">New framework</h2>
          <CreateFrameworkForm org={org} />
        </section>
      )}
    </>
  );
}
