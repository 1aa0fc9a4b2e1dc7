import type { Metadata } from 'next';
import Link from 'next/link';
import { DocumentTitle } from './_components/document-title';

const TITLE = 'Not found · Bulwark';

// `absolute`: the layout's template would make it "Not found · Bulwark" too, but a page that called notFound()
// after its own metadata streamed ("Finding · Bulwark") would keep that title; DocumentTitle corrects it.
export const metadata: Metadata = { title: { absolute: TITLE } };

export default function NotFound() {
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 px-6 text-center">
      <DocumentTitle title={TITLE} />
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-slate-600">This page doesn’t exist, or you don’t have access to it.</p>
      <Link href="/o" className="font-medium text-brand-600 hover:underline">Go to your organizations</Link>
    </main>
  );
}
