import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { orNotFound } from '@/lib/web/not-found';
import { can } from '@/lib/platform/auth/permissions';
import { getCustomControl } from '@/lib/services/policies/custom-controls';
import { listClusters } from '@/lib/services/clusters/read-clusters';
import { PageHeader } from '@/app/_components/page-header';
import { CustomControlEditor } from '../_components/editor';
import { EnableToggle } from '../_components/enable-toggle';

export const metadata: Metadata = { title: 'Custom control' };
export const dynamic = 'force-dynamic';

/** One custom control: state, editor with preview, and its version history with what each version changed. */
export default async function CustomControlPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const ctx = await requireOrgContext(org);
  const control = await orNotFound(getCustomControl(ctx, id));
  const canManage = can(ctx, 'policy.manage');
  const clusters = (await listClusters(ctx)).filter((c) => !c.archivedAt).map((c) => ({ id: c.id, name: c.name }));
  const { current } = control;
  return (
    <>
      <PageHeader
        title={control.title}
        description={<><code>{control.controlId}</code> · the organization&apos;s control · version {control.currentVersion} · <span data-testid="custom-control-state">{control.enabled ? 'Enabled' : 'Disabled'}</span></>}
        actions={<>
          <Link href={`/o/${org}/findings?control=${encodeURIComponent(control.controlId)}`} className="text-sm font-medium text-brand-600 hover:underline">Its findings</Link>
          {canManage && <EnableToggle org={org} customControlId={control.id} enabled={control.enabled} />}
        </>}
      />
      <CustomControlEditor
        org={org}
        customControlId={control.id}
        initial={{ key: control.key, title: current.title, severity: current.severity, rationale: current.rationale, remediation: current.remediation, requirementIds: current.requirementIds, rule: current.rule }}
        clusters={clusters}
        canManage={canManage}
      />
      <section aria-labelledby="history-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="history-heading" className="text-base font-semibold">Version history</h2>
        <ol className="mt-3 space-y-3">
          {control.versions.map((v) => (
            <li key={v.version} className="rounded-lg border border-slate-200 p-3 text-sm" data-testid="custom-control-version">
              <p className="font-medium">Version {v.version}{v.change ? ` · ${v.change}` : ''}</p>
              <p className="text-xs text-slate-500">{v.author ?? 'system'} · <time dateTime={v.createdAt.toISOString()}>{v.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC</time></p>
              {v.changes.length > 0 && (
                <ul className="mt-2 space-y-1">
                  {v.changes.map((change) => (
                    <li key={change.field} className="text-xs">
                      <code>{change.field}</code>:{' '}
                      {change.before !== null && <del className="rounded bg-red-50 px-1 text-red-800 break-all">{change.before}</del>}{' '}
                      {change.after !== null && <ins className="rounded bg-emerald-50 px-1 text-emerald-800 no-underline break-all">{change.after}</ins>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
