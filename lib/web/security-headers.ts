/**
 * The response headers that protect pages: a per-request nonce CSP and HSTS. Built here as plain functions so
 * they can be tested; proxy.ts sets them on every page request.
 */

/** 16 random bytes, base64: unguessable and new for every request (a reused nonce is no protection). */
export function generateNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

/**
 * Scripts run only with this request's nonce (Next.js puts it on its own scripts when the page is rendered per
 * request) and what those load ('strict-dynamic'); no 'unsafe-inline', so an injected <script> or on*= handler
 * does not run. Styles keep 'unsafe-inline': React style attributes (charts, widths) need it, and a nonce
 * cannot cover attributes. Forms may post to the identity provider (sign-in redirects count as form targets).
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // Development only: React rebuilds server error stacks with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' http://localhost:* https:",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Strict-Transport-Security when the app is served over https (APP_URL), so browsers never try http again. */
export function strictTransportSecurity(appUrl: string): string | null {
  return new URL(appUrl).protocol === 'https:' ? 'max-age=31536000; includeSubDomains' : null;
}
