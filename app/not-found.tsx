import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-slate-600">This page doesn’t exist, or you don’t have access to it.</p>
      <Link href="/o" className="font-medium text-brand-600 hover:underline">Go to your organizations</Link>
    </main>
  );
}
