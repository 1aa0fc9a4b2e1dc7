import type { Metadata } from 'next';
import Link from 'next/link';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listCustomControls } from '@/lib/services/policies/custom-controls';
import { CUSTOM_CONTROL_EXAMPLES } from '@/lib/analysis/cel';
import { PageHeader } from '@/app/_components/page-header';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { EmptyState } from '@/app/_components/empty-state';
import { buttonStyles } from '@/app/_components/button-styles';

export const metadata: Metadata = { title: 'Custom controls' };
export const dynamic = 'force-dynamic';

/** The organization's own controls, and the examples library to start one from. */
export default async function CustomControlsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const controls = await listCustomControls(ctx);
  const canManage = can(ctx, 'policy.manage');
  return (
    <>
      <PageHeader
        title="Custom controls"
        description="The organization's own rules, in CEL (the language of Kubernetes' ValidatingAdmissionPolicy), evaluated with every snapshot beside the built-in controls."
        actions={<>
          <Link href={`/o/${org}/controls/frameworks`} className={buttonStyles.secondary}>Your frameworks</Link>
          {canManage && <Link href={`/o/${org}/controls/custom/new`} className={buttonStyles.primary}>New custom control</Link>}
        </>}
      />
      {controls.length === 0 ? (
        <EmptyState title="No custom controls yet" action={canManage ? <Link href={`/o/${org}/controls/custom/new`} className={buttonStyles.primary}>Write one</Link> : null}>
          Start from an example below, try it on your clusters with Preview, then enable it.
        </EmptyState>
      ) : (
        <div className="mb-6 overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr><th className="px-3 py-2">Control</th><th className="px-3 py-2">Severity</th><th className="px-3 py-2">State</th><th className="px-3 py-2">Version</th><th className="px-3 py-2">Open findings</th></tr>
            </thead>
            <tbody>
              {controls.map((c) => (
                <tr key={c.id} className="border-t border-slate-100" data-testid="custom-control-row">
                  <td className="px-3 py-2">
                    <Link href={`/o/${org}/controls/custom/${c.id}`} className="font-medium text-brand-600 hover:underline">{c.title}</Link>
                    <p className="text-xs text-slate-500"><code>{c.controlId}</code> · the organization&apos;s</p>
                  </td>
                  <td className="px-3 py-2"><SeverityBadge severity={c.severity} /></td>
                  <td className="px-3 py-2">{c.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td className="px-3 py-2">{c.currentVersion}</td>
                  <td className="px-3 py-2">
                    <Link href={`/o/${org}/findings?control=${encodeURIComponent(c.controlId)}`} className="text-brand-600 hover:underline">{c.openFindings}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="examples-heading" className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="examples-heading" className="text-base font-semibold">Examples to copy</h2>
        <ul className="mt-3 grid gap-3 md:grid-cols-2">
          {CUSTOM_CONTROL_EXAMPLES.map((example) => (
            <li key={example.key} className="rounded-lg border border-slate-200 p-3">
              <p className="font-medium">{example.title}</p>
              <p className="mt-1 text-xs text-slate-600">{example.rationale}</p>
              <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap break-all">{example.rule.validations[0]?.expression}</pre>
              {canManage && <Link href={`/o/${org}/controls/custom/new?example=${example.key}`} className={`${buttonStyles.link} mt-2 inline-block text-sm`}>Copy into a new control</Link>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
