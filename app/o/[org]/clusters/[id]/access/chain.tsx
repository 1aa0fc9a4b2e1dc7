import type { Grant } from '@/lib/analysis/access';

/** A grant's rule in one line: verbs on resources (in groups), limited to names, or on URLs. */
export function ruleText(grant: Grant): string {
  const groups = grant.apiGroups.map((g) => (g === '' ? 'core' : g)).join(', ');
  if (grant.resources.length === 0 && grant.nonResourceURLs) return `${grant.verbs.join(', ')} on URLs ${grant.nonResourceURLs.join(', ')}`;
  const names = grant.resourceNames ? ` named ${grant.resourceNames.join(', ')}` : '';
  return `${grant.verbs.join(', ')} on ${grant.resources.join(', ')}${names} (API group ${groups})`;
}

export function scopeText(scope: Grant['scope']): string {
  return scope === 'cluster' ? 'cluster-wide' : `in namespace ${scope.namespace}`;
}

/** subject → binding → role → rule, with the aggregation spelled out: how the right reaches the subject. */
export function Chain({ grant, through }: { grant: Grant; through?: string }) {
  const { binding, role, ruleIndex, aggregatedFrom, assumedRole } = grant.chain;
  const bindingName = binding.namespace ? `${binding.namespace}/${binding.name}` : binding.name;
  const roleName = role.namespace ? `${role.namespace}/${role.name}` : role.name;
  return (
    <ol className="flex flex-wrap items-center gap-x-1 gap-y-1 text-xs text-slate-700" aria-label="How this right is granted" data-testid="access-chain">
      {through && <li className="rounded bg-amber-50 px-1.5 py-0.5 text-amber-900">through {through}</li>}
      {through && <li aria-hidden="true">→</li>}
      <li className="rounded bg-slate-100 px-1.5 py-0.5"><span className="text-slate-500">{binding.kind}</span> <span className="font-mono">{bindingName}</span></li>
      <li aria-hidden="true">→</li>
      <li className="rounded bg-slate-100 px-1.5 py-0.5">
        <span className="text-slate-500">{role.kind}</span> <span className="font-mono">{roleName}</span>
        {assumedRole && <span className="text-slate-500"> (Kubernetes default, assumed)</span>}
      </li>
      {aggregatedFrom && (
        <>
          <li aria-hidden="true">→</li>
          <li className="rounded bg-violet-50 px-1.5 py-0.5 text-violet-900">aggregates <span className="font-mono">{aggregatedFrom.join(' → ')}</span></li>
        </>
      )}
      <li aria-hidden="true">→</li>
      <li className="rounded bg-slate-100 px-1.5 py-0.5">rule {ruleIndex}{aggregatedFrom ? ` of ${aggregatedFrom[aggregatedFrom.length - 1]}` : ''}: <span className="font-mono">{ruleText(grant)}</span></li>
    </ol>
  );
}

export function RiskBadges({ labels }: { labels: string[] }) {
  if (labels.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Dangerous rights">
      {labels.map((label) => <li key={label} className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-800 ring-1 ring-red-200">{label}</li>)}
    </ul>
  );
}
