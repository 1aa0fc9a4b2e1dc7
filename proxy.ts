import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/platform/env';
import { contentSecurityPolicy, generateNonce, strictTransportSecurity } from '@/lib/web/security-headers';

/**
 * Every page request gets a fresh CSP nonce (Next.js's documented way, node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md): the policy goes on the request, where Next.js reads the nonce and puts it on the
 * scripts it renders, and on the response, where the browser enforces it. app/layout.tsx renders every page per
 * request (a page built ahead of time would carry no nonce, and its scripts would be blocked).
 */
export function proxy(request: NextRequest) {
  const e = env();
  const nonce = generateNonce();
  const https = new URL(e.APP_URL).protocol === 'https:';
  const policy = contentSecurityPolicy(nonce, { dev: e.NODE_ENV === 'development', https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  const hsts = strictTransportSecurity(e.APP_URL);
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes get a fixed policy from next.config.ts; static files need none; a prefetch is not a document.
      source: '/((?!api|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
