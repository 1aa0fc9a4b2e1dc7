import Link from 'next/link';

/**
 * How an organization's score is made, in one sentence, next to every organization score (the rule of
 * lib/services/scores/failing-requirements.ts and write-scores.ts), with the way to the failing requirements.
 */
export function ScoreRule({ org, frameworkId, failed }: { org: string; frameworkId: string; failed: number }) {
  return (
    <p className="mt-2 text-xs text-slate-600" data-testid={`score-rule-${frameworkId}`}>
      A requirement passes only when it passes on every cluster in scope (not archived, with an evaluated snapshot).{' '}
      <Link href={`/o/${org}/scores/${frameworkId}`} className="font-medium text-brand-700 hover:underline">
        {failed > 0 ? `Where do the ${failed} failing requirement${failed === 1 ? '' : 's'} fail?` : 'How the score is made'}
      </Link>
    </p>
  );
}
