import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './callback-url';

const base = 'https://bulwark.example.com';
const safe = (value: unknown) => safeCallbackPath(value, { base });

describe('callback URLs after sign-in', () => {
  it('keeps a path on our own site, with its query and hash', () => {
    expect(safe('/o/acme/findings?severity=CRITICAL#top')).toBe('/o/acme/findings?severity=CRITICAL#top');
    expect(safe('https://bulwark.example.com/o/acme')).toBe('/o/acme');
    expect(safe('/o/acme/../settings')).toBe('/o/settings');
  });

  it.each([
    ['/\\evil.com'], // what /%5Cevil.com becomes once the query string is decoded
    ['/\\/evil.com'],
    ['\\\\evil.com'],
    ['//evil.com'],
    ['///evil.com'],
    ['/\t/evil.com'],
    ['/\n/evil.com'],
    ['\t//evil.com'],
    ['https://evil.com'],
    ['https://evil.com/o/acme'],
    ['http://bulwark.example.com/o/acme'], // same host, other scheme
    ['https://bulwark.example.com.evil.com/'],
    ['https://bulwark.example.com@evil.com/'],
    ['https://bulwark.example.com//evil.com'],
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['HTTPS://EVIL.COM'],
  ])('refuses %j and falls back to /o', (value) => {
    expect(safe(value)).toBe('/o');
  });

  it('keeps encoded characters inside our own path (they stay on our origin)', () => {
    expect(safe('/%5Cevil.com')).toBe('/%5Cevil.com');
    expect(safe('/%09/evil.com')).toBe('/%09/evil.com');
    expect(safe('/%2F%2Fevil.com')).toBe('/%2F%2Fevil.com');
    for (const value of ['/%5Cevil.com', '/%09/evil.com', '/%2F%2Fevil.com']) {
      expect(new URL(safe(value), base).origin).toBe(base); // where a browser goes with the result
    }
  });

  it('falls back when there is nothing usable', () => {
    expect(safe(undefined)).toBe('/o');
    expect(safe('')).toBe('/o');
    expect(safe(['/o/acme'])).toBe('/o');
    expect(safeCallbackPath('//evil.com', { base, fallback: '/' })).toBe('/');
  });
});
