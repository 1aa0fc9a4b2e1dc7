import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './signature';

const secret = 'whsec_test';
const now = new Date('2026-04-01T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));
const body = JSON.stringify({ id: 'e1', type: 'finding.opened', data: { severity: 'CRITICAL' } });

describe('webhook signatures', () => {
  it('verifies a body signed with the secret and timestamp', () => {
    const header = signWebhookBody(secret, timestamp, body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, timestamp, body, header, { now })).toBe(true);
  });

  it('fails when the body, the timestamp or the secret differ', () => {
    const header = signWebhookBody(secret, timestamp, body);
    expect(verifyWebhookSignature(secret, timestamp, body.replace('CRITICAL', 'LOW'), header, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, String(Number(timestamp) + 1), body, header, { now })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', timestamp, body, header, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, timestamp, body, null, { now })).toBe(false);
  });

  it('refuses a replay outside the tolerance window', () => {
    const header = signWebhookBody(secret, timestamp, body);
    const later = new Date(now.getTime() + 301_000);
    expect(verifyWebhookSignature(secret, timestamp, body, header, { now: later })).toBe(false);
  });
});
