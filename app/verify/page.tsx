import type { Metadata } from 'next';
import Link from 'next/link';
import { VerifyForm } from './verify-form';

export const metadata: Metadata = { title: 'Verify a report' };

/**
 * Public (no sign-in): anyone holding a Bulwark report checks here that this Bulwark issued it and that it is
 * unchanged. The file goes to POST /api/verify, which looks up its SHA-256; nothing is kept.
 */
export default function VerifyPage() {
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen w-full max-w-2xl flex-col gap-6 px-4 py-10 sm:px-6 sm:py-16">
      <div className="space-y-2">
        <Link href="/" className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</Link>
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Verify a report</h1>
        <p className="text-sm text-slate-600">
          Choose or drop a report file (PDF, CSV, JSON or OSCAL) to check that this Bulwark issued it and that not one
          byte has changed since. Bulwark computes the file&apos;s SHA-256 and looks it up in its archive; for a PDF it
          also checks the digital signature. The file is not stored, and you need no account.
        </p>
      </div>
      <VerifyForm />
      <p className="text-xs text-slate-500">
        The answer names only the organization, the framework, the period and when the report was issued. The SHA-256
        printed on a PDF&apos;s cover is that of the report&apos;s content, not of the file: a file cannot contain its own hash.
      </p>
    </main>
  );
}
