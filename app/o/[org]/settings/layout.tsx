import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { PageHeader } from '@/app/_components/page-header';
import { SettingsTabs, type SettingsTab } from './_components/settings-tabs';

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  const base = `/o/${org}/settings`;
  const tabs: SettingsTab[] = [
    { href: base, label: 'General' },
    { href: `${base}/members`, label: 'Members' },
    { href: `${base}/teams`, label: 'Teams' },
    ...(can(ctx, 'apitoken.manage') ? [{ href: `${base}/api-tokens`, label: 'API tokens' }] : []),
    ...(can(ctx, 'member.manage') ? [{ href: `${base}/idp-groups`, label: 'IdP groups' }] : []),
    ...(can(ctx, 'sso.manage') ? [{ href: `${base}/sso`, label: 'Single sign-on' }] : []),
    ...(can(ctx, 'webhook.manage') ? [{ href: `${base}/integrations`, label: 'Integrations' }] : []),
    ...(can(ctx, 'org.manage') ? [{ href: `${base}/mail`, label: 'Mail' }] : []),
    ...(can(ctx, 'report.read') ? [{ href: `${base}/report-recipients`, label: 'Report recipients' }] : []),
    { href: `${base}/profile`, label: 'Profile' },
  ];
  return (
    <>
      <PageHeader title="Settings" description={can(ctx, 'org.manage') ? undefined : 'You can see these settings; owners and admins change them.'} />
      <SettingsTabs tabs={tabs} />
      {children}
    </>
  );
}
