import type { Metadata } from 'next';
import Link from 'next/link';
import { describeUnsubscribe } from '@/lib/services/mail/unsubscribe';
import { buttonStyles } from '@/app/_components/button-styles';
import { unsubscribeAction } from './actions';

// The token is in the URL: no index, and no referrer carrying it anywhere.
export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false, follow: false }, referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/**
 * Public (no sign-in): the unsubscribe link of a Bulwark mail. Opening it changes nothing (mail scanners open
 * links); the button records the opt-out of that category, from that organization, for that address.
 */
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<{ t?: string | string[]; done?: string }> }) {
  const query = await searchParams;
  const token = typeof query.t === 'string' ? query.t : '';
  const view = await describeUnsubscribe(token);
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen w-full max-w-xl flex-col gap-4 px-4 py-10 sm:px-6 sm:py-16">
      <Link href="/" className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</Link>
      {!view.ok ? (
        <>
          <h1 className="text-2xl font-bold">This unsubscribe link is not valid</h1>
          <p className="text-slate-700">Check that you opened the whole link from the e-mail. Nothing was changed.</p>
        </>
      ) : query.done === '1' ? (
        <>
          <h1 className="text-2xl font-bold">You are unsubscribed</h1>
          <p className="text-slate-700">
            <span className="break-all font-medium">{view.email}</span> will no longer get e-mails about {view.categoryLabel} from {view.organizationName}.
            Other e-mails (and invitations) are not affected.
          </p>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold">Unsubscribe from {view.categoryLabel}?</h1>
          <p className="text-slate-700">
            <span className="break-all font-medium">{view.email}</span> gets e-mails about {view.categoryLabel} from {view.organizationName}.
            You will still see them in Bulwark&apos;s notifications.
          </p>
          <form action={unsubscribeAction}>
            <input type="hidden" name="t" value={token} />
            <button type="submit" className={buttonStyles.primary}>Unsubscribe</button>
          </form>
        </>
      )}
    </main>
  );
}
