import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { clusterAdmissionPolicies, type ClusterAdmissionPolicies } from '@/lib/services/pipeline/admission-policies';
import { Card } from '@/app/_components/card';

type ListStatus = NonNullable<ClusterAdmissionPolicies['lists']>[keyof NonNullable<ClusterAdmissionPolicies['lists']>];

/** Why a list has nothing to show: not installed, not allowed, not sent by an older agent. Null when collected. */
function listNote(what: string, status: ListStatus): string | null {
  if (status.status === 'collected') return null;
  if (status.status === 'disabled') return `${what}: ${status.message ?? 'not collected'}`;
  if (status.status === 'forbidden') return `${what}: the agent may not list them${status.message ? ` (${status.message})` : ''}`;
  if (status.status === 'not_collected') return null;
  return `${what}: could not be listed${status.message ? ` (${status.message})` : ''}`;
}

const th = 'py-2 pr-4 font-medium';

/**
 * The cluster's own policies (issue 23), from its current evaluation: each ValidatingAdmissionPolicy with its bindings
 * (actions, failurePolicy, objects evaluated, violations linked to their findings, or "not evaluable: <reason>"), then
 * Kyverno policies and Gatekeeper constraints as metadata. The organization context is the page's (cached per request).
 */
export async function AdmissionPoliciesSection({ org, clusterId }: { org: string; clusterId: string }) {
  const ctx = await requireOrgContext(org);
  const data = await clusterAdmissionPolicies(ctx, clusterId);
  const findingsHref = (controlId: string) => `/o/${org}/findings?cluster=${clusterId}&control=${encodeURIComponent(controlId)}`;
  const lists = data.lists;
  const named = lists
    ? ([
        ['ValidatingAdmissionPolicies', lists.validatingadmissionpolicies],
        ['their bindings', lists.validatingadmissionpolicybindings],
        ['Kyverno policies', lists.kyvernopolicies],
        ['Gatekeeper constraints', lists.gatekeeperconstraints],
      ] as const)
    : [];
  const absent = named.filter(([, status]) => status.status === 'not_collected').map(([what]) => what);
  const notes = [
    ...named.map(([what, status]) => listNote(what.charAt(0).toUpperCase() + what.slice(1), status)).filter((note): note is string => note !== null),
    // A list the snapshot does not carry says nothing about the cluster: never read as "none".
    ...(absent.length > 0 ? [`Not in the latest snapshot, so not judged: ${absent.join(', ')} (an agent older than this feature, or manifests without them)`] : []),
  ];
  type Policy = ClusterAdmissionPolicies['policies'][number];
  type Row = { policy: Policy; binding: Policy['bindings'][number] | null };
  const rows = data.policies.flatMap((policy): Row[] =>
    policy.bindings.length === 0 ? [{ policy, binding: null }] : policy.bindings.map((binding) => ({ policy, binding })),
  );
  return (
    <Card title="Admission policies" className="mt-4">
      <div data-testid="admission-policies" className="space-y-4 text-sm">
        {!data.recorded ? (
          <p className="text-slate-500">
            {data.evaluatedAt ? 'The current evaluation predates admission policies: the next snapshot lists them.' : 'No evaluation yet.'}
          </p>
        ) : (
          <>
            <p className="text-xs text-slate-600">
              The cluster&apos;s own ValidatingAdmissionPolicies, judged against the objects already running: admission checks only new requests, so
              objects created before a policy, or let through by Warn, Audit or failurePolicy Ignore, may still violate it. Counted in no CIS or ISO score.
            </p>
            {rows.length === 0 ? (
              lists?.validatingadmissionpolicies.status === 'collected' && <p className="text-slate-500">No ValidatingAdmissionPolicy in this cluster.</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" aria-label="ValidatingAdmissionPolicies">
                  <thead className="text-xs uppercase text-slate-500">
                    <tr><th className={th}>Policy</th><th className={th}>Binding</th><th className={th}>Actions</th><th className={th}>failurePolicy</th><th className={th}>Evaluated</th><th className={th}>Violations</th><th className="py-2 font-medium">Result</th></tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {rows.map(({ policy, binding }) => (
                      <tr key={`${policy.name}/${binding?.name ?? ''}`} data-testid={`vap-${policy.name}`} className="align-top">
                        <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{policy.name}</td>
                        <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{binding?.name ?? '–'}</td>
                        <td className="py-2 pr-4">{binding ? binding.validationActions.join(', ') || 'none' : '–'}</td>
                        <td className="py-2 pr-4">{policy.failurePolicy}</td>
                        <td className="py-2 pr-4 tabular-nums">{binding?.status === 'evaluated' ? binding.evaluated : '–'}</td>
                        <td className="py-2 pr-4 tabular-nums">
                          {binding?.status === 'evaluated' ? (
                            binding.violations > 0 ? <Link href={findingsHref(policy.controlId)} className="font-medium text-brand-600 hover:underline">{binding.violations}</Link> : 0
                          ) : '–'}
                        </td>
                        <td className="py-2 [overflow-wrap:anywhere]">
                          {!binding ? (
                            <span className="text-slate-500">no binding: not enforced, not judged</span>
                          ) : binding.status === 'not_evaluable' ? (
                            <span className="text-amber-800">not evaluable: {binding.reason}</span>
                          ) : (
                            <>
                              {binding.summary}
                              {binding.errors > 0 && <span className="text-amber-800"> · {binding.errors} could not be evaluated</span>}
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {data.policies.some((p) => p.activeFindings > 0) && (
              <p className="text-xs text-slate-600">
                Active findings:{' '}
                {data.policies.filter((p) => p.activeFindings > 0).map((p, index) => (
                  <span key={p.controlId}>{index > 0 && ' · '}<Link href={findingsHref(p.controlId)} className="text-brand-600 hover:underline">{p.name} ({p.activeFindings})</Link></span>
                ))}
              </p>
            )}
            {data.kyverno.length > 0 && (
              <div className="overflow-x-auto">
                <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Kyverno policies</h3>
                <table className="w-full text-left text-sm" aria-label="Kyverno policies" data-testid="kyverno-policies">
                  <thead className="text-xs uppercase text-slate-500"><tr><th className={th}>Kind</th><th className={th}>Name</th><th className={th}>Action</th><th className={th}>Background</th><th className={th}>Ready</th><th className="py-2 font-medium">Rules</th></tr></thead>
                  <tbody className="divide-y divide-slate-100">
                    {data.kyverno.map((p) => (
                      <tr key={`${p.kind}/${p.namespace ?? ''}/${p.name}`} className="align-top">
                        <td className="py-2 pr-4">{p.kind}</td>
                        <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{p.namespace ? `${p.namespace}/${p.name}` : p.name}</td>
                        <td className="py-2 pr-4">{p.action ?? 'Audit (default)'}</td>
                        <td className="py-2 pr-4">{p.background === null ? '–' : p.background ? 'yes' : 'no'}</td>
                        <td className="py-2 pr-4">{p.ready === null ? '–' : p.ready ? 'yes' : 'no'}</td>
                        <td className="py-2 font-mono text-xs [overflow-wrap:anywhere]">{p.rules.join(', ') || '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.kyvernoNotListed > 0 && <p className="text-xs text-slate-500">and {data.kyvernoNotListed} more</p>}
              </div>
            )}
            {data.gatekeeper.length > 0 && (
              <div className="overflow-x-auto">
                <h3 className="mb-1 text-xs font-semibold uppercase text-slate-500">Gatekeeper constraints</h3>
                <table className="w-full text-left text-sm" aria-label="Gatekeeper constraints" data-testid="gatekeeper-constraints">
                  <thead className="text-xs uppercase text-slate-500"><tr><th className={th}>Kind</th><th className={th}>Name</th><th className={th}>Enforcement</th><th className="py-2 font-medium">Violations (Gatekeeper audit)</th></tr></thead>
                  <tbody className="divide-y divide-slate-100">
                    {data.gatekeeper.map((c) => (
                      <tr key={`${c.kind}/${c.name}`}>
                        <td className="py-2 pr-4">{c.kind}</td>
                        <td className="py-2 pr-4 font-mono text-xs [overflow-wrap:anywhere]">{c.name}</td>
                        <td className="py-2 pr-4">{c.enforcementAction ?? 'deny (default)'}</td>
                        <td className="py-2 tabular-nums">{c.totalViolations ?? '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.gatekeeperNotListed > 0 && <p className="text-xs text-slate-500">and {data.gatekeeperNotListed} more</p>}
              </div>
            )}
            {notes.length > 0 && (
              <ul className="list-disc space-y-0.5 pl-5 text-xs text-slate-600" data-testid="admission-policy-lists">
                {notes.map((note) => <li key={note}>{note}</li>)}
              </ul>
            )}
          </>
        )}
      </div>
    </Card>
  );
}
