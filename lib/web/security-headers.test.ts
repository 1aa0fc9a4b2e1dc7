import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, generateNonce, strictTransportSecurity } from './security-headers';

const directive = (policy: string, name: string) => policy.split('; ').find((part) => part.startsWith(`${name} `)) ?? '';

describe('page security headers', () => {
  it('allows scripts only with the nonce (no unsafe-inline), eval only in development', () => {
    const production = contentSecurityPolicy('abc123==', { dev: false, https: true });
    expect(directive(production, 'script-src')).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(production).toContain("frame-ancestors 'none'");
    expect(production).toContain("object-src 'none'");
    expect(production).toContain('upgrade-insecure-requests');
    expect(directive(contentSecurityPolicy('n', { dev: true, https: false }), 'script-src')).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy('n', { dev: false, https: false })).not.toContain('upgrade-insecure-requests');
  });

  it('makes a new unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, generateNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('sends HSTS only when the app is served over https', () => {
    expect(strictTransportSecurity('https://bulwark.example.com')).toBe('max-age=31536000; includeSubDomains');
    expect(strictTransportSecurity('http://localhost:3000')).toBeNull();
  });
});
