import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './signature';

const secret = newWebhookSecret();
const now = new Date('2026-04-01T12:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000));
const id = '0b0c6a2e-7f7e-4f57-9d2b-3f1f4bb0e001';
const body = JSON.stringify({ id: 'e1', type: 'finding.opened', data: { severity: 'CRITICAL' } });

describe('webhook signatures (Standard Webhooks)', () => {
  it('makes whsec_ secrets of 32 random bytes in standard base64', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs as v1,<base64 HMAC-SHA256 of "id.timestamp.body">, which the standardwebhooks library accepts', () => {
    const signature = signWebhookBody(secret, id, timestamp, body);
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The reference library checks the timestamp against its own clock: sign with the current time for it.
    const fresh = String(Math.floor(Date.now() / 1000));
    const headers = { 'webhook-id': id, 'webhook-timestamp': fresh, 'webhook-signature': signWebhookBody(secret, id, fresh, body) };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('CRITICAL', 'LOW'), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    // ...and the library's own signature is ours, byte for byte.
    expect(new Webhook(secret).sign(id, now, body)).toBe(signature);
  });

  it('verifies its own signatures and refuses another body, id, timestamp or secret', () => {
    const signature = signWebhookBody(secret, id, timestamp, body);
    expect(verifyWebhookSignature(secret, { id, timestamp, signature }, body, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, { id, timestamp, signature: `v1,bm9wZQ== ${signature}` }, body, { now })).toBe(true);
    expect(verifyWebhookSignature(secret, { id, timestamp, signature }, body.replace('CRITICAL', 'LOW'), { now })).toBe(false);
    expect(verifyWebhookSignature(secret, { id: `${id}x`, timestamp, signature }, body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, { id, timestamp: String(Number(timestamp) + 1), signature }, body, { now })).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), { id, timestamp, signature }, body, { now })).toBe(false);
    expect(verifyWebhookSignature(secret, { id, timestamp, signature: null }, body, { now })).toBe(false);
  });

  it('refuses a replay outside the tolerance window', () => {
    const signature = signWebhookBody(secret, id, timestamp, body);
    expect(verifyWebhookSignature(secret, { id, timestamp, signature }, body, { now: new Date(now.getTime() + 301_000) })).toBe(false);
  });
});
