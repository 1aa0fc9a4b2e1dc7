import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listExternalRecipients } from '@/lib/services/reports/schedules';
import { Card } from '@/app/_components/card';
import { EmptyState } from '@/app/_components/empty-state';
import { Forbidden } from '@/app/_components/forbidden';
import { ActionButton } from '../_components/action-button';
import { removeExternalRecipientAction } from './actions';
import { ApproveRecipientForm } from './_components/approve-recipient-form';

export const metadata: Metadata = { title: 'Report recipients' };
export const dynamic = 'force-dynamic';

/** External auditors' addresses that scheduled reports may be mailed to (issue 20): owners and admins approve them. */
export default async function ReportRecipientsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'report.read')) return <Forbidden what="see report recipients" />;
  const canManage = can(ctx, 'report.recipients.manage');
  const recipients = await listExternalRecipients(ctx);
  return (
    <div className="grid gap-4">
      <Card title="Approved external addresses">
        <p className="mb-3 text-sm text-slate-600">
          Scheduled reports go to members who may download reports, and to these addresses only. An external recipient&apos;s
          link works without an account for 72 hours and stops working as soon as the address is removed here.
        </p>
        {recipients.length === 0 ? (
          <EmptyState title="No external addresses" action={null}>{canManage ? 'Approve an auditor\u2019s address below.' : 'Owners and admins approve them.'}</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {recipients.map((recipient) => (
              <li key={recipient.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="min-w-0 break-all">{recipient.email}</span>
                {canManage && (
                  <ActionButton org={org} action={removeExternalRecipientAction} input={{ recipientId: recipient.id }} label="Remove" accessibleLabel={`Remove ${recipient.email}`}
                    confirm={`Remove ${recipient.email}? Schedules stop mailing it and links already sent stop working.`} />
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      {canManage && <Card title="Approve an address"><ApproveRecipientForm org={org} /></Card>}
    </div>
  );
}
