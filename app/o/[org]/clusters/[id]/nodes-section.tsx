import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { listClusterNodes } from '@/lib/services/clusters/node-reports';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';
import { hrefWith } from '@/app/_components/query-href';

/**
 * The cluster's nodes as their node collector reported them (issue 21): role, managed provider, collector version,
 * when the report arrived, and CIS sections 1-4 results on each node in the organization's benchmark version. The
 * organization context is the page's (cached per request).
 */
export async function NodesSection({ org, clusterId }: { org: string; clusterId: string }) {
  const ctx = await requireOrgContext(org);
  const { nodes, cisVersion, maxAgeDays } = await listClusterNodes(ctx, clusterId);
  const now = new Date();
  return (
    <Card title="Nodes" className="mt-4">
      {nodes.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="nodes-empty">
          No node reports: install the node collector (<code>agent/deploy/node</code>) to assess CIS sections 1-4 on each node.
        </p>
      ) : (
        <>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="nodes-table">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Node</th><th className="pr-4">Role</th><th className="pr-4">Managed by</th><th className="pr-4">Collector</th>
                  <th className="pr-4">Received</th><th className="pr-4" data-testid="nodes-cis-version">CIS v{cisVersion} sections 1-4</th><th>Findings</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {nodes.map((node) => (
                  <tr key={node.name} data-testid="node-row">
                    <td className="py-2 pr-4 font-medium [overflow-wrap:anywhere]">
                      {node.name}
                      {node.stale && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900" title={`No report for more than ${maxAgeDays} days: left out of evaluations`}>stale</span>}
                    </td>
                    <td className="pr-4">{node.role}</td>
                    <td className="pr-4">{node.managedProvider ?? <span className="text-slate-500">self-managed</span>}</td>
                    <td className="pr-4 tabular-nums">{node.collectorVersion}</td>
                    <td className="pr-4"><TimeAgo date={new Date(node.receivedAt)} now={now} /></td>
                    <td className="pr-4 tabular-nums" data-testid="node-cis">
                      {node.cis === null ? <span className="text-slate-500">not evaluated yet</span> : (
                        <>
                          <span className="text-emerald-800">{node.cis.pass} pass</span>
                          {' · '}<span className={node.cis.fail > 0 ? 'font-semibold text-red-700' : ''}>{node.cis.fail} fail</span>
                          {node.cis.providerResponsibility > 0 && <>{' · '}<span className="text-sky-800">{node.cis.providerResponsibility} provider responsibility</span></>}
                        </>
                      )}
                    </td>
                    {/* overflow-wrap: anywhere: a cloud node name (ip-…compute.internal) must not widen the table past its card */}
                    <td className="[overflow-wrap:anywhere]">
                      <Link href={hrefWith(`/o/${org}/findings`, { cluster: clusterId, resource: `Node/${node.name}` })} className="text-brand-600 hover:underline">Findings of {node.name} →</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Items of the CIS Kubernetes Benchmark v{cisVersion} (the organization&apos;s version, Settings → Benchmark) decided on each node by the cluster&apos;s latest evaluation; risk-accepted findings count as passed.
          </p>
        </>
      )}
    </Card>
  );
}
