import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { getOrgSettings } from '@/lib/services/orgs/settings';
import { Card } from '@/app/_components/card';
import { SeverityBadge } from '@/app/_components/severity-badge';
import { GeneralSettingsForm } from './_components/general-settings-form';

export const metadata: Metadata = { title: 'Settings' };
export const dynamic = 'force-dynamic';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

export default async function GeneralSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const settings = await getOrgSettings(ctx);
  if (can(ctx, 'org.manage')) {
    const { updatedAt: _updatedAt, ...initial } = settings;
    return <GeneralSettingsForm org={org} initial={initial} />;
  }
  return (
    <div className="grid max-w-3xl gap-4">
      <Card title="Organization">
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          <div><dt className="text-slate-500">Name</dt><dd className="font-medium">{settings.name}</dd></div>
          <div><dt className="text-slate-500">Address</dt><dd className="font-mono">/o/{settings.slug}</dd></div>
        </dl>
      </Card>
      <Card title="Days until a finding is due">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          {SEVERITIES.map((severity) => (
            <div key={severity}><dt><SeverityBadge severity={severity} /></dt><dd className="mt-1 font-semibold tabular-nums">{settings.dueDays[severity]} days</dd></div>
          ))}
        </dl>
      </Card>
      <Card title="Images and snapshots">
        <dl className="space-y-3 text-sm">
          <div>
            <dt className="text-slate-500">Allowed registries</dt>
            <dd>{settings.allowedRegistries.length === 0 ? 'Not set: the allowed-registry control is not evaluated.' : (
              <ul className="mt-1 space-y-0.5 font-mono text-xs">{settings.allowedRegistries.map((r) => <li key={r}>{r}</li>)}</ul>
            )}</dd>
          </div>
          <div><dt className="text-slate-500">Ticket for every new critical finding</dt><dd>{settings.autoTicketCritical ? 'On' : 'Off'}</dd></div>
          <div><dt className="text-slate-500">Snapshot bodies kept for</dt><dd>{settings.snapshotRetentionDays} days</dd></div>
          <div><dt className="text-slate-500">Invitation links expire after</dt><dd>{settings.invitationExpiryDays} days</dd></div>
        </dl>
      </Card>
      <Card title="Benchmark">
        <dl className="text-sm"><div><dt className="text-slate-500">CIS Kubernetes Benchmark version</dt><dd data-testid="cis-version">v{settings.cisBenchmarkVersion} (sections 1-5)</dd></div></dl>
      </Card>
    </div>
  );
}
