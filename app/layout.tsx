import type { Metadata } from 'next';
import localFont from 'next/font/local';
import { connection } from 'next/server';
import './globals.css';
import { SkipLink } from './_components/skip-link';

// Self-hosted from an npm package: the build must not reach Google Fonts.
const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  display: 'swap',
});

export const metadata: Metadata = {
  title: { default: 'Bulwark', template: '%s · Bulwark' },
  description: 'Kubernetes compliance: CIS Kubernetes Benchmark and ISO/IEC 27001:2022 evidence, from your clusters.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, so Next.js can put this request's CSP nonce (proxy.ts) on its scripts.
  await connection();
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">
        <SkipLink />
        {children}
      </body>
    </html>
  );
}
