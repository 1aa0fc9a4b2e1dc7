import type { Metadata } from 'next';
import { SignOutButton } from './sign-out-button';

export const metadata: Metadata = { title: 'Sign out' };

export default function SignOutPage() {
  return (
    <main id="main" tabIndex={-1} className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-4 px-6">
      <h1 className="text-2xl font-bold">Sign out of Bulwark?</h1>
      <SignOutButton />
    </main>
  );
}
