import { afterEach, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import { resetEnvForTests } from '@/lib/platform/env';
import { proxy } from '@/proxy';

// proxy.ts itself, as Next.js calls it: HSTS depends on APP_URL, which the e2e stack (plain http) can't show.

afterEach(() => { delete process.env.APP_URL; resetEnvForTests(); });

function run(appUrl: string) {
  process.env.APP_URL = appUrl;
  resetEnvForTests();
  return proxy(new NextRequest(`${appUrl}/o/acme`));
}

describe('proxy.ts', () => {
  it('sends HSTS and upgrade-insecure-requests when the app is served over https', () => {
    const response = run('https://bulwark.example.com');
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('sends no HSTS over plain http', () => {
    expect(run('http://localhost:3000').headers.get('strict-transport-security')).toBeNull();
  });

  it('hands Next.js the same nonce policy it sends the browser', () => {
    const response = run('http://localhost:3000');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    // NextResponse.next({ request: { headers } }) passes overridden request headers this way.
    expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(policy);
    expect(policy).toContain(`'nonce-${response.headers.get('x-middleware-request-x-nonce')}'`);
  });
});
