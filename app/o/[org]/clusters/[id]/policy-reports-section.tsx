import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { policyReportSummary } from '@/lib/services/pipeline/policy-report-summary';
import { Card } from '@/app/_components/card';

/**
 * What the cluster's latest evaluation imported from PolicyReports (Kyverno and other engines, issue 23). Renders
 * nothing when it imported none. The organization context is the page's (cached per request).
 */
export async function PolicyReportsSection({ org, clusterId }: { org: string; clusterId: string }) {
  const ctx = await requireOrgContext(org);
  const summary = await policyReportSummary(ctx, clusterId);
  if (!summary) return null;
  const from = summary.sources.join(', ');
  return (
    <Card title="PolicyReports" className="mt-4" action={
      <Link href={`/o/${org}/findings?cluster=${clusterId}&source=imported`} className="text-sm font-medium text-brand-600 hover:underline">Imported findings →</Link>
    }>
      <p className="text-sm" data-testid="policy-reports-summary">
        PolicyReports imported: {summary.results} {summary.results === 1 ? 'result' : 'results'} ({summary.fail} fail, {summary.warn} warn) from {from}
      </p>
      <p className="mt-1 text-xs text-slate-600">
        {summary.policies} {summary.policies === 1 ? 'policy' : 'policies'} · {summary.pass} pass · {summary.skip} skip
        {summary.error > 0 && <> · <span className="text-amber-800">{summary.error} {summary.error === 1 ? 'error' : 'errors'} (not counted as passes)</span></>}
        {' '}· imported as reported, counted in no CIS or ISO score.
      </p>
    </Card>
  );
}
