import { describe, expect, it } from 'vitest';
import { parseCidrList } from '../net/ip-ranges';
import { clientAddress, requestMetaFrom } from './request-meta';

const proxies = parseCidrList('10.0.0.0/8, 2001:db8:ffff::/48');
const forwardedFor = (value: string) => new Headers({ 'x-forwarded-for': value });

describe('the client address of a request', () => {
  it('ignores X-Forwarded-For and X-Real-IP when no proxy is trusted', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.10' }), [])).toBeNull();
  });

  it('takes the address our proxy appended, not one the client wrote in front of it', () => {
    // The client sent "X-Forwarded-For: 1.1.1.1"; our proxy appended the address it saw.
    expect(clientAddress(forwardedFor('1.1.1.1, 203.0.113.9'), proxies)).toBe('203.0.113.9');
  });

  it('skips trusted proxies from the right (a CDN in front of the load balancer)', () => {
    expect(clientAddress(forwardedFor('6.6.6.6, 203.0.113.9, 10.1.2.3, 10.0.0.7'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(forwardedFor('203.0.113.9, 2001:db8:ffff::1'), proxies)).toBe('203.0.113.9');
  });

  it('reads ports, brackets and IPv4-mapped forms, and merges repeated headers', () => {
    expect(clientAddress(forwardedFor('203.0.113.9:51234'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(forwardedFor('[2001:db8::7]:443'), proxies)).toBe('2001:db8::7');
    expect(clientAddress(forwardedFor('::ffff:203.0.113.9'), proxies)).toBe('203.0.113.9');
    const headers = new Headers();
    headers.append('x-forwarded-for', '6.6.6.6');
    headers.append('x-forwarded-for', '203.0.113.9');
    expect(clientAddress(headers, proxies)).toBe('203.0.113.9');
  });

  it('gives up (null) on a hop it cannot read rather than trusting what is left of it', () => {
    expect(clientAddress(forwardedFor('203.0.113.9, unknown'), proxies)).toBeNull();
    expect(clientAddress(forwardedFor('203.0.113.9, evil.example'), proxies)).toBeNull();
    expect(clientAddress(new Headers(), proxies)).toBeNull();
  });

  it('names the first proxy when the request started at one of them', () => {
    expect(clientAddress(forwardedFor('10.0.0.9, 10.0.0.7'), proxies)).toBe('10.0.0.9');
  });

  it('carries the user agent, cut to a sane length', () => {
    expect(requestMetaFrom(new Headers({ 'user-agent': 'x'.repeat(5000), 'x-forwarded-for': '203.0.113.9' }), proxies))
      .toEqual({ ip: '203.0.113.9', userAgent: 'x'.repeat(512) });
  });
});
