import Link from 'next/link';
import { checkHealth } from '@/lib/health';
import { StatusDot } from './_components/status-dot';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const health = await checkHealth();
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-10 px-6 py-16">
      <div className="space-y-4">
        <p className="text-sm font-semibold uppercase tracking-widest text-brand-600">Bulwark</p>
        <h1 className="text-4xl font-bold tracking-tight">Kubernetes compliance your auditor signs.</h1>
        <p className="text-lg text-slate-600">
          Effective-permission analysis, CIS Kubernetes Benchmark and ISO/IEC 27001:2022 Annex A controls, a review
          workflow with four-eyes risk acceptance, and reports with integrity you can verify.
        </p>
        <Link href="/sign-in" className="inline-flex rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
          Sign in
        </Link>
      </div>
      <section aria-labelledby="status" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="status" className="mb-2 text-sm font-semibold text-slate-700">System status</h2>
        <ul className="flex gap-6 text-sm" data-testid="health">
          <li><StatusDot ok={health.db === 'ok'} /> Database: <strong>{health.db}</strong></li>
          <li><StatusDot ok={health.redis === 'ok'} /> Queue (Redis): <strong>{health.redis}</strong></li>
        </ul>
      </section>
    </main>
  );
}
