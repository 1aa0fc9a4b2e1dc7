'use client';

/**
 * Starts next-auth's sign-in with one provider: POST /api/auth/signin/<id> (with the CSRF token), then the browser
 * goes to the IdP. next-auth/react's signIn() would first ask /api/auth/providers, which lists only the platform
 * providers: an organization's connection (sso-<id>) exists for the request that names it (lib/web/auth.ts).
 */
export async function startSignIn(providerId: string, callbackUrl: string, loginHint?: string): Promise<void> {
  const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
  const query = loginHint ? `?${new URLSearchParams({ login_hint: loginHint })}` : '';
  const response = await fetch(`/api/auth/signin/${encodeURIComponent(providerId)}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Auth-Return-Redirect': '1' },
    body: new URLSearchParams({ csrfToken, callbackUrl, json: 'true' }),
  });
  const { url } = (await response.json()) as { url: string };
  window.location.href = url;
}
