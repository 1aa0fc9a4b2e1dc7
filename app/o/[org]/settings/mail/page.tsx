import type { Metadata } from 'next';
import { requireOrgContext } from '@/lib/web/context';
import { can } from '@/lib/platform/auth/permissions';
import { listMailLog } from '@/lib/services/mail/mail-log';
import { MAIL_CATEGORY_LABELS, type MailCategory } from '@/lib/services/mail/types';
import { Card } from '@/app/_components/card';
import { TimeAgo } from '@/app/_components/time-ago';

export const metadata: Metadata = { title: 'Mail log' };
export const dynamic = 'force-dynamic';

const STATUS_STYLES: Record<string, string> = {
  QUEUED: 'bg-slate-100 text-slate-800',
  SENT: 'bg-emerald-100 text-emerald-900',
  FAILED: 'bg-red-100 text-red-900',
  BOUNCED: 'bg-amber-100 text-amber-900',
  SKIPPED: 'bg-slate-100 text-slate-700',
};
const STATUS_LABELS: Record<string, string> = { QUEUED: 'Queued', SENT: 'Sent', FAILED: 'Failed', BOUNCED: 'Bounced', SKIPPED: 'Unsubscribed' };

/** Settings → Mail: the last 100 mails this organization sent, with their delivery state. Owners and admins. */
export default async function MailLogPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const ctx = await requireOrgContext(org);
  if (!can(ctx, 'org.manage')) {
    return <Card title="Mail log"><p className="text-sm text-slate-600">Owners and admins see the mail this organization sent.</p></Card>;
  }
  const rows = await listMailLog(ctx, { limit: 100 });
  const now = new Date();
  return (
    <Card title="Mail log">
      <p className="mb-3 text-sm text-slate-600">
        Invitations, assignments, risk acceptance and ticket e-mails, newest first. Failed deliveries are retried with
        growing delays for about eight minutes; a bounce (the server refused the address) is not retried. Bodies are not kept.
      </p>
      {rows.length === 0 ? <p className="text-sm text-slate-600">No mail sent yet.</p> : (
        <ul className="divide-y divide-slate-100" aria-label="Mails">
          {rows.map((row) => (
            <li key={row.id} className="flex flex-col gap-1 py-3">
              <div className="flex flex-wrap items-center gap-2">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[row.status] ?? STATUS_STYLES.QUEUED}`}>{STATUS_LABELS[row.status] ?? row.status}</span>
                <span className="min-w-0 break-words text-sm font-medium text-slate-900">{row.subject}</span>
              </div>
              <p className="break-all text-xs text-slate-600">
                To {row.recipient} · {MAIL_CATEGORY_LABELS[row.category as MailCategory] ?? row.category} · <TimeAgo date={row.createdAt} now={now} />
                {row.attempts > 1 && ` · ${row.attempts} attempts`}
              </p>
              {row.lastError && row.status !== 'SENT' && <p className="break-words text-xs text-red-800">{row.lastError}</p>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
