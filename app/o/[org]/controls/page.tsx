import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { requireOrgContext } from '@/lib/web/context';
import { listCatalog, type ControlClusterStatus } from '@/lib/services/catalog/read-catalog';
import { frameworkCoverage } from '@/lib/services/soa/coverage';
import { FRAMEWORK_IDS, type FrameworkId } from '@/lib/analysis/frameworks';
import { PageHeader } from '@/app/_components/page-header';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { EmptyState } from '@/app/_components/empty-state';
import { buttonStyles } from '@/app/_components/button-styles';
import { Remediation } from '@/app/_components/remediation';
import { InlineCode } from '@/app/_components/inline-code';

export const metadata: Metadata = { title: 'Controls' };
export const dynamic = 'force-dynamic';

const QuerySchema = z.object({
  // Either CIS id reads as the organization's version (listCatalog); an old link to v1.9 still shows a page.
  framework: z.enum(FRAMEWORK_IDS as [FrameworkId, ...FrameworkId[]]).optional().catch(undefined),
  requirement: z.string().max(40).optional().catch(undefined),
  q: z.string().max(200).optional().catch(undefined),
});

const RESULT_STYLE: Record<ControlClusterStatus, string> = {
  pass: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  fail: 'bg-red-50 text-red-800 ring-red-200',
  accepted: 'bg-violet-50 text-violet-800 ring-violet-200',
  provider_responsibility: 'bg-sky-50 text-sky-800 ring-sky-200',
  not_applicable: 'bg-slate-50 text-slate-500 ring-slate-200',
  not_evaluated: 'bg-slate-50 text-slate-500 ring-slate-200',
};
const RESULT_LABEL: Record<ControlClusterStatus, string> = { pass: 'pass', fail: 'fail', accepted: 'accepted', provider_responsibility: 'provider', not_applicable: 'n/a', not_evaluated: '–' };

export default async function ControlsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string>> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const query = QuerySchema.parse(await searchParams);
  const data = await listCatalog(ctx, { frameworkId: query.framework, requirement: query.framework ? query.requirement : undefined, q: query.q });
  const framework = data.frameworks.find((f) => f.id === data.frameworkId);
  const coverage = await frameworkCoverage(ctx, data.frameworks.map((f) => f.id));
  return (
    // overflow-wrap: anywhere lets long words and ids (framework names, control ids, coverage lines) break instead of
    // widening the page past a 390 px phone screen.
    <div className="min-w-0 [overflow-wrap:anywhere]">
      <PageHeader title="Controls" description={`${data.controls.length} controls, each mapped to CIS Kubernetes Benchmark v${data.cis.version} items (the organization's benchmark version, Settings → Benchmark), ISO/IEC 27001:2022 Annex A controls and the NSA/CISA hardening guide.`} />
      <section aria-labelledby="soa-heading" className="mb-5 rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="soa-heading" className="text-sm font-semibold text-slate-800">Statement of Applicability</h2>
        <p className="mt-1 text-sm text-slate-600">Which requirements apply to the organization, who owns them, and each one&apos;s status: passed, failed, evidence provided, not assessed by Bulwark, excluded (with a justification)…</p>
        <ul className="mt-3 grid gap-2 md:grid-cols-3">
          {coverage.map((c) => (
            <li key={c.frameworkId} className="min-w-0 rounded-lg border border-slate-200 p-3 text-sm">
              <Link href={`/o/${org}/controls/soa/${c.frameworkId}`} className="font-medium text-brand-600 hover:underline">{c.frameworkName}: SoA</Link>
              <p className="mt-1 text-xs text-slate-600" data-testid={`controls-coverage-${c.frameworkId}`}>{c.coverage}</p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="custom-heading" className="mb-5 rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="custom-heading" className="text-sm font-semibold text-slate-800">The organization&apos;s own controls</h2>
        <p className="mt-1 text-sm text-slate-600">Rules no benchmark knows, written in CEL and evaluated with every snapshot (listed below with the built-in controls, marked &ldquo;your organization&rsquo;s&rdquo;); and frameworks of your own with a score.</p>
        <p className="mt-2 flex flex-wrap gap-4 text-sm">
          <Link href={`/o/${org}/controls/custom`} className="font-medium text-brand-600 hover:underline">Custom controls</Link>
          <Link href={`/o/${org}/controls/frameworks`} className="font-medium text-brand-600 hover:underline">Your frameworks</Link>
        </p>
      </section>
      <form className="mb-5 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" method="get">
        {/* max-w-full: a select is as wide as its longest option (a framework's full name), which pushed the page to 391 px at 390 px */}
        <label className="max-w-full min-w-0 text-sm">
          <span className="mb-1 block font-medium">Framework</span>
          <select name="framework" defaultValue={data.frameworkId ?? ''} className="max-w-full rounded-md border border-slate-300 px-2 py-1.5">
            <option value="">All frameworks</option>
            {data.frameworks.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
          </select>
        </label>
        {framework && (
          <label className="max-w-full min-w-0 text-sm">
            <span className="mb-1 block font-medium">Requirement</span>
            <select name="requirement" defaultValue={data.requirement ?? ''} className="max-w-full rounded-md sm:max-w-xs border border-slate-300 px-2 py-1.5">
              <option value="">Any requirement</option>
              {framework.requirements.map((r) => <option key={r.id} value={r.id}>{r.id} {r.title}</option>)}
            </select>
          </label>
        )}
        <label className="text-sm">
          <span className="mb-1 block font-medium">Search</span>
          <input name="q" defaultValue={query.q ?? ''} placeholder="privileged, secrets…" className="rounded-md border border-slate-300 px-2 py-1.5" />
        </label>
        <button type="submit" className={buttonStyles.secondary}>Filter</button>
      </form>
      {data.controls.length === 0 ? <EmptyState title="No control matches" action={<Link href={`/o/${org}/controls`} className={buttonStyles.secondary}>Clear filters</Link>}>Try another framework or requirement.</EmptyState> : (
        <ul className="space-y-3">
          {data.controls.map((control) => (
            <li key={control.id} className="rounded-xl border border-slate-200 bg-white shadow-sm">
              <details>
                <summary className="flex cursor-pointer list-none flex-wrap items-center gap-3 px-4 py-3">
                  <SeverityBadge severity={control.severity} />
                  <span className="font-medium">{control.title}</span>
                  <code className="text-xs text-slate-500">{control.id}</code>
                  {control.own && (
                    <span className="rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-800 ring-1 ring-indigo-200" data-testid="control-own-badge">
                      your organization&rsquo;s{control.own.enabled ? '' : ' · disabled'}
                    </span>
                  )}
                  <span className="ml-auto flex flex-wrap gap-1">
                    {control.results.map((result) => {
                      const cluster = data.clusters.find((c) => c.id === result.clusterId);
                      return (
                        <span key={result.clusterId} title={`${cluster?.name}: ${result.status}${result.open ? `, ${result.open} open` : ''}${result.reason ? ` (${result.reason})` : ''}`}
                          className={`rounded px-1.5 py-0.5 text-xs ring-1 ring-inset ${RESULT_STYLE[result.status]}`}>
                          {cluster?.name}: {RESULT_LABEL[result.status]}{result.open ? ` (${result.open})` : ''}
                        </span>
                      );
                    })}
                  </span>
                </summary>
                <div className="grid gap-4 border-t border-slate-100 px-4 py-4 text-sm [overflow-wrap:anywhere] md:grid-cols-2">
                  {/* min-w-0: a grid item is as wide as its longest unbreakable line otherwise (a remediation's code line), which pushed the page past 390 px */}
                  <div className="min-w-0 space-y-3">
                    <p><InlineCode text={control.description} /></p>
                    <p><span className="font-semibold">Why it matters: </span><InlineCode text={control.rationale} /></p>
                    <div className="flex flex-wrap gap-1 text-xs">
                      {control.mappings.cis.map((id) => <span key={`cis-${id}`} className="rounded bg-slate-100 px-1.5 py-0.5" data-testid="control-cis-item">CIS v{data.cis.version} {id}</span>)}
                      {control.mappings.iso27001.map((id) => <span key={`iso-${id}`} className="rounded bg-blue-50 px-1.5 py-0.5 text-blue-900">ISO {id}</span>)}
                      {control.mappings.nsa.map((id) => <span key={`nsa-${id}`} className="rounded bg-amber-50 px-1.5 py-0.5 text-amber-900">NSA {id}</span>)}
                      {control.mappings.pss && <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-emerald-900">PSS {control.mappings.pss}</span>}
                      {control.own?.organizationRequirementIds.map((ref) => <span key={`own-${ref}`} className="rounded bg-indigo-50 px-1.5 py-0.5 text-indigo-900">{ref}</span>)}
                    </div>
                    {control.own && (
                      <p><Link href={`/o/${org}/controls/custom/${control.own.customControlId}`} className="text-brand-600 hover:underline">The control&apos;s rule and versions (v{control.own.version}) →</Link></p>
                    )}
                    <Link href={`/o/${org}/findings?control=${encodeURIComponent(control.id)}`} className="text-brand-600 hover:underline">Findings of this control →</Link>
                  </div>
                  <div className="min-w-0">
                    <p className="mb-1 font-semibold">How to fix</p>
                    <Remediation text={control.remediation} />
                  </div>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
