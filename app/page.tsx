import Link from 'next/link';

// The public page says nothing about the system behind it: probes use /api/health (ok or not ok), operators the logs.
export default function HomePage() {
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-10 px-6 py-16">
      <div className="space-y-4">
        <p className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</p>
        <h1 className="text-4xl font-bold tracking-tight">Kubernetes compliance your auditor signs.</h1>
        <p className="text-lg text-slate-600">
          Effective-permission analysis, CIS Kubernetes Benchmark and ISO/IEC 27001:2022 Annex A controls, a review
          workflow with four-eyes risk acceptance, and reports with integrity you can verify.
        </p>
        <div className="flex flex-wrap items-center gap-4">
          <Link href="/sign-in" className="inline-flex rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            Sign in
          </Link>
          <Link href="/verify" className="font-medium text-brand-700 underline hover:text-brand-800">Verify a report you received</Link>
        </div>
      </div>
    </main>
  );
}
