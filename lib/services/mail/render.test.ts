import { describe, expect, it } from 'vitest';
import { renderMail } from './render';
import { readUnsubscribeToken, unsubscribeToken } from './unsubscribe-token';

describe('renderMail', () => {
  it('escapes every interpolated value in the HTML and keeps the text readable', () => {
    const { html, text } = renderMail({
      heading: 'Ticket <b>"x"</b>', paragraphs: ["O'Reilly & <script>alert(1)</script>"],
      action: { label: 'Open <it>', url: 'https://bulwark.example/o/a?x=1&y="2"' }, footnote: '<img src=x onerror=alert(1)>',
    }, { categoryLabel: 'ticket <assignments>', unsubscribeUrl: 'https://bulwark.example/mail/unsubscribe?t=a.b' });
    expect(html).not.toMatch(/<script|<b>|<img|<it>/);
    expect(html).toContain('O&#39;Reilly &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('href="https://bulwark.example/o/a?x=1&amp;y=%222%22"');
    expect(html).toContain('href="https://bulwark.example/mail/unsubscribe?t=a.b"');
    expect(text).toContain("O'Reilly & <script>alert(1)</script>");
    expect(text).toContain('Open <it>: https://bulwark.example/o/a?x=1&y=%222%22');
  });

  it('refuses a link that is not http(s)', () => {
    expect(() => renderMail({ heading: 'h', paragraphs: [], action: { label: 'x', url: 'javascript:alert(1)' } }, { categoryLabel: 'c' })).toThrow(/http\(s\)/);
  });
});

describe('unsubscribe tokens', () => {
  const claim = { organizationId: '7f1c2a4e-1b2c-4d5e-8f90-1a2b3c4d5e6f', email: 'Dana@Example.test', category: 'assignment' as const };

  it('round-trip (address lower-cased) and refuse any change', () => {
    const token = unsubscribeToken(claim);
    expect(readUnsubscribeToken(token)).toEqual({ ...claim, email: 'dana@example.test' });
    const [payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify({ o: claim.organizationId, e: 'someone@else.test', c: 'assignment' })).toString('base64url');
    expect(readUnsubscribeToken(`${other}.${signature}`)).toBeNull();
    expect(readUnsubscribeToken(`${payload}.${signature!.slice(1)}x`)).toBeNull();
    expect(readUnsubscribeToken('garbage')).toBeNull();
  });

  it('do not exist for invitations, which are transactional', () => {
    expect(() => unsubscribeToken({ ...claim, category: 'invitation' })).toThrow(/transactional/);
  });
});
