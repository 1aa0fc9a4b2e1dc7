import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireOrgContext } from '@/lib/web/context';
import { scoreBreakdown } from '@/lib/services/scores/failing-requirements';
import { frameworkCoverage } from '@/lib/services/soa/coverage';
import { FRAMEWORK_IDS, type FrameworkId } from '@/lib/analysis/frameworks';
import { Card } from '@/app/_components/card';
import { PageHeader } from '@/app/_components/page-header';
import { EmptyState } from '@/app/_components/empty-state';
import { buttonStyles } from '@/app/_components/button-styles';
import { hrefWith } from '@/app/_components/query-href';

export const metadata: Metadata = { title: 'Score explained' };
export const dynamic = 'force-dynamic';

const isFrameworkId = (value: string): value is FrameworkId => (FRAMEWORK_IDS as readonly string[]).includes(value);
const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The organization's score for one framework: the rule, the clusters it counts, and where each failing requirement fails. */
export default async function ScoreExplainedPage({ params }: { params: Promise<{ org: string; framework: string }> }) {
  const { org, framework: frameworkParam } = await params;
  if (!isFrameworkId(frameworkParam)) notFound();
  const ctx = await requireOrgContext(org);
  const [data, [coverage]] = await Promise.all([scoreBreakdown(ctx, frameworkParam), frameworkCoverage(ctx, [frameworkParam])]);
  if (!coverage) notFound();
  const base = `/o/${org}`;
  const { score, outOfScope } = data;
  const left = [
    outOfScope.archived > 0 ? `${plural(outOfScope.archived, 'archived cluster')}` : null,
    outOfScope.notEvaluated > 0 ? `${plural(outOfScope.notEvaluated, 'cluster')} with no evaluated snapshot yet` : null,
  ].filter(Boolean);

  return (
    <>
      <PageHeader
        title={`${data.frameworkName}: score explained`}
        description={<>{score.score}% · {score.passed} passed · {score.failed} failed{score.accepted > 0 ? ` (${score.accepted} passed by risk acceptance)` : ''} · covers: <span data-testid="score-coverage">{coverage.coverage}</span></>}
        actions={<Link href={base} className={buttonStyles.secondary}>Dashboard</Link>}
      />
      <Card title="How the score is made">
        <ul className="list-disc space-y-1.5 pl-5 text-sm text-slate-700" data-testid="score-rules">
          <li><strong>A requirement passes only when it passes on every cluster in scope.</strong> One of its controls with an open or acknowledged finding on any cluster fails it for the whole organization.</li>
          <li>Findings covered by an approved, unexpired risk acceptance don&rsquo;t count against it: it then passes &ldquo;by risk acceptance&rdquo;. A cluster where none of its controls apply neither passes nor fails it.</li>
          <li>
            In scope: {data.inScope.length === 0 ? 'no cluster yet' : data.inScope.map((c) => c.name).join(', ')} (clusters not archived, with an evaluated snapshot).
            {left.length > 0 && <> Left out: {left.join(' and ')}. An archived cluster keeps its history but stops counting; a report counts it only when you choose it.</>}
          </li>
          <li>Score = passed ÷ (passed + failed). Manual requirements (evidence outside Kubernetes) and not-applicable ones are left out.</li>
        </ul>
      </Card>

      <h2 className="mt-6 mb-3 text-lg font-semibold">Failing requirements ({data.failing.length})</h2>
      {data.failing.length === 0 ? (
        <EmptyState title="No requirement fails" action={null}>Every requirement Bulwark can decide passes on every cluster in scope.</EmptyState>
      ) : (
        <ul className="space-y-2" aria-label="Failing requirements">
          {data.failing.map((requirement) => (
            <li key={requirement.requirementId} className="rounded-xl border border-slate-200 bg-white shadow-sm" data-testid={`failing-requirement-${requirement.requirementId}`}>
              <details>
                <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3">
                  <code className="text-xs text-slate-500">{requirement.requirementId}</code>
                  <span className="min-w-0 flex-1 font-medium">{requirement.title}</span>
                  <span className="text-sm text-red-700">fails on {requirement.failingClusters.length} of {data.inScope.length} clusters</span>
                </summary>
                <ul className="divide-y divide-slate-100 border-t border-slate-100 text-sm">
                  {requirement.failingClusters.map((cluster) => (
                    <li key={cluster.clusterId} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2.5">
                      <Link
                        href={hrefWith(`${base}/findings`, { framework: data.frameworkId, requirement: requirement.requirementId, cluster: cluster.clusterId })}
                        className="font-medium text-brand-700 hover:underline"
                      >
                        Findings on {cluster.clusterName}
                      </Link>
                      <span className="text-xs text-slate-600">
                        {cluster.failingControls.map((control, index) => (
                          <span key={control.id} data-testid={control.own ? 'own-control' : undefined}>
                            {index > 0 && ' · '}{control.title}
                            {control.own && <span className="text-slate-500"> (your organization&rsquo;s control{control.own.versions.length > 0 ? `, ${control.own.versions.map((v) => `v${v}`).join(', ')}` : ''})</span>}
                          </span>
                        ))}
                      </span>
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
