import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createMember } from '../../testing/factories';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { app, baseObjects, orgWithFindings, workflowState, type Fixture } from '../../testing/findings-fixture';
import { createWebhook } from './create-webhook';
import { deleteWebhook, listWebhooks, updateWebhook } from './manage-webhooks';
import { listDeliveries } from './list-deliveries';
import { sendTestWebhook } from './send-test-webhook';
import { deliverWebhook } from './deliver-webhook';
import { dispatchDomainEvents } from '../events/dispatch';
import { Webhook } from 'standardwebhooks';
import { verifyWebhookSignature } from './signature';
import { startReceiver } from './test-receiver';
import type { WebhookPayload } from './payload';
import { webhookPayloadSchema } from './event-schemas';
import { resetEnvForTests } from '../../platform/env';
import { assertDeliverableAddress } from './resolve-target';
import { postToWebhook } from './post-webhook';
import { parseCidrList } from '../../platform/net/ip-ranges';
import { createServer, type AddressInfo } from 'node:net';

// The receivers run on 127.0.0.1, which webhooks may only reach when an operator allows it.
function allowWebhookCidrs(value: string | undefined): void {
  if (value === undefined) delete process.env.WEBHOOK_ALLOWED_CIDRS;
  else process.env.WEBHOOK_ALLOWED_CIDRS = value;
  resetEnvForTests();
}
beforeAll(() => allowWebhookCidrs('127.0.0.0/8'));
afterAll(() => allowWebhookCidrs(undefined));

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Person = { user: { id: string }; ctx: OrgContext };
let fx: Fixture;
let admin: Person;
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

beforeEach(async () => {
  fx = await orgWithFindings(['api', 'web']);
  admin = await createMember(fx.org, 'ADMIN');
});
afterEach(async () => { for (const receiver of receivers.splice(0)) await receiver.close(); });

async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

const system = () => systemContext(fx.org.id, 'test');

describe('managing webhooks', () => {
  it('returns the secret once at creation; lists never include it; the audit log keeps only the origin', async () => {
    const { webhook, secret } = await createWebhook(admin.ctx, { url: 'https://hooks.slack.example/services/T0/B0/XYZ', events: ['finding.opened', 'finding.opened'], format: 'SLACK' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook.events).toEqual(['finding.opened']);
    expect(webhook).not.toHaveProperty('secret');
    const [listed] = await listWebhooks(admin.ctx);
    expect(listed).not.toHaveProperty('secret');
    expect(JSON.stringify(await listWebhooks(admin.ctx))).not.toContain(secret);
    const audit = await fx.db.auditLog.findFirstOrThrow({ where: { action: 'webhook.created' } });
    expect(audit.after).toEqual({ url: 'https://hooks.slack.example', events: ['finding.opened'], format: 'SLACK' });
  });

  it('refuses other schemes, internal addresses, unknown events (400) and non-admins (403)', async () => {
    // Plain http:// is refused in production only (lib/services/webhooks/url-policy.test.ts); these tests run as NODE_ENV=test.
    await expect(createWebhook(admin.ctx, { url: 'ftp://hooks.example.com/x', events: ['finding.opened'] })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'url' }] });
    await expect(createWebhook(admin.ctx, { url: 'https://169.254.169.254/x', events: ['finding.opened'] })).rejects.toMatchObject({ code: 'invalid' });
    await expect(createWebhook(admin.ctx, { url: 'https://hooks.example.com/x', events: ['finding.deleted' as 'finding.opened'] })).rejects.toMatchObject({ code: 'invalid' });
    const { ctx } = await createMember(fx.org, 'MEMBER');
    await expect(createWebhook(ctx, { url: 'https://hooks.example.com/x', events: ['finding.opened'] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listWebhooks(ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('answers 404 to another organization for every webhook action and changes nothing', async () => {
    const { webhook } = await createWebhook(admin.ctx, { url: 'https://hooks.example.com/x', events: ['finding.opened'] });
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'OWNER');
    await expect(updateWebhook(outsider.ctx, { webhookId: webhook.id, enabled: false })).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteWebhook(outsider.ctx, webhook.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(sendTestWebhook(outsider.ctx, webhook.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(listDeliveries(outsider.ctx, webhook.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(deliverWebhook(systemContext(theirs.org.id, 'test'), webhook.id, { isFinalAttempt: true })).resolves.toBe('gone');
    expect(await listWebhooks(outsider.ctx)).toEqual([]);
    expect(await fx.db.webhook.findUniqueOrThrow({ where: { id: webhook.id } })).toMatchObject({ enabled: true });
    await deleteWebhook(admin.ctx, webhook.id);
    expect(await listWebhooks(admin.ctx)).toEqual([]);
  });
});

describe('dispatching domain events to webhooks', () => {
  it('creates one delivery per enabled webhook subscribed to the event, once, with no evidence in the payload', async () => {
    const subscribed = await createWebhook(admin.ctx, { url: 'https://a.example.com/h', events: ['finding.resolved', 'finding.opened'] });
    const disabled = await createWebhook(admin.ctx, { url: 'https://b.example.com/h', events: ['finding.resolved'] });
    await updateWebhook(admin.ctx, { webhookId: disabled.webhook.id, enabled: false });
    await createWebhook(admin.ctx, { url: 'https://c.example.com/h', events: ['ticket.created'] });
    await dispatchDomainEvents(); // the first evaluation's baseline event
    await fx.evaluate(2, [...baseObjects(), app('api'), app('web', false)]);
    await dispatchDomainEvents();
    expect(await dispatchDomainEvents()).toBe(0);
    expect(await fx.db.domainEvent.count({ where: { dispatchedAt: null } })).toBe(0);
    const deliveries = await fx.db.webhookDelivery.findMany();
    expect(deliveries.map((d) => [d.webhookId, d.eventType])).toEqual([[subscribed.webhook.id, 'finding.resolved']]);
    const payload = deliveries[0]?.payload as WebhookPayload;
    expect(payload).toMatchObject({ type: 'finding.resolved', organization: { slug: fx.org.slug }, data: { findingId: fx.byName('web').id, finding: { resource: 'Deployment shop/web', status: 'RESOLVED', clusterName: 'prod' } } });
    expect((payload.data.finding as { url: string }).url).toMatch(new RegExp(`/o/${fx.org.slug}/findings/${fx.byName('web').id}$`));
    expect(JSON.stringify(payload)).not.toMatch(/evidence|secret/);
    // The JSON Schema the OpenAPI document publishes for the type (event-schemas.ts) holds for a real payload.
    expect(webhookPayloadSchema('finding.resolved').safeParse(payload).error).toBeUndefined();
  });
});

describe('delivering a webhook', () => {
  it('POSTs the payload signed with the secret; the signature fails if the body is altered', async () => {
    const target = await receiver();
    const { webhook, secret } = await createWebhook(admin.ctx, { url: target.url, events: ['finding.opened'] });
    const delivery = await sendTestWebhook(admin.ctx, webhook.id);
    expect(await deliverWebhook(system(), delivery.id, { isFinalAttempt: false })).toBe('delivered');
    const [request] = target.received;
    expect(request?.headers).toMatchObject({ 'x-bulwark-event': 'webhook.test', 'webhook-id': delivery.id, 'content-type': 'application/json' });
    const timestamp = String(request?.headers['webhook-timestamp']);
    const signature = String(request?.headers['webhook-signature']);
    expect(verifyWebhookSignature(secret, { id: delivery.id, timestamp, signature }, request?.body ?? '')).toBe(true);
    expect(verifyWebhookSignature(secret, { id: delivery.id, timestamp, signature }, (request?.body ?? '').replace('test', 'tset'))).toBe(false);
    // The Standard Webhooks reference library accepts it as is.
    expect(new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'webhook.test', organization: { slug: fx.org.slug } });
    expect(await fx.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'DELIVERED', attempts: 1, responseStatus: 200, responseExcerpt: 'ok', error: null });
    expect(await deliverWebhook(system(), delivery.id, { isFinalAttempt: false })).toBe('skipped'); // delivered once
  });

  it('records a 500 and stays pending for the retry, then is delivered on the next attempt', async () => {
    const target = await receiver((index) => (index === 0 ? 500 : 200));
    const { webhook } = await createWebhook(admin.ctx, { url: target.url, events: ['finding.opened'] });
    const delivery = await sendTestWebhook(admin.ctx, webhook.id);
    await expect(deliverWebhook(system(), delivery.id, { isFinalAttempt: false })).rejects.toThrow(/HTTP 500/);
    expect(await fx.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: 500, error: 'HTTP 500' });
    await deliverWebhook(system(), delivery.id, { isFinalAttempt: false });
    const log = await listDeliveries(admin.ctx, webhook.id);
    expect(log.items[0]).toMatchObject({ id: delivery.id, status: 'DELIVERED', attempts: 2, responseStatus: 200, error: null });
  });

  it('gives up after the timeout, records the error, and marks the last attempt FAILED', async () => {
    const target = await receiver(() => 'hang');
    const { webhook } = await createWebhook(admin.ctx, { url: target.url, events: ['finding.opened'] });
    const delivery = await sendTestWebhook(admin.ctx, webhook.id);
    await expect(deliverWebhook(system(), delivery.id, { isFinalAttempt: true, timeoutMs: 300 })).rejects.toThrow(/timed out/);
    const row = await fx.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 1, responseStatus: null, error: 'timed out after 300 ms' });
    expect(row.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('sends a Slack-compatible body to a SLACK webhook', async () => {
    const target = await receiver();
    const { webhook } = await createWebhook(admin.ctx, { url: target.url, events: ['finding.resolved'], format: 'SLACK' });
    await fx.evaluate(2, [...baseObjects(), app('api'), app('web', false)]);
    await dispatchDomainEvents();
    const delivery = await fx.db.webhookDelivery.findFirstOrThrow({ where: { webhookId: webhook.id } });
    await deliverWebhook(system(), delivery.id, { isFinalAttempt: false });
    const body = JSON.parse(target.received[0]?.body ?? '{}') as { text: string; blocks: { type: string }[] };
    expect(body.text).toMatch(/^\[Bulwark\] Finding resolved: CRITICAL workload\.privileged-container on Deployment shop\/web \(prod\)$/);
    expect(body.blocks.map((block) => block.type)).toEqual(['section', 'context']);
  });

  it('leaves evaluation unaffected by a receiver that never answers', async () => {
    const target = await receiver(() => 'hang');
    await createWebhook(admin.ctx, { url: target.url, events: ['finding.opened', 'finding.resolved'] });
    const before = await workflowState(fx.org.id);
    const outcome = await fx.evaluate(2, [...baseObjects(), app('api', false), app('web'), app('batch')]);
    expect(outcome).toMatchObject({ outcome: 'done', opened: 1, resolved: 1 });
    expect((await workflowState(fx.org.id)).findings.length).toBe(before.findings.length + 1);
    expect(await fx.db.webhookDelivery.count()).toBe(0); // evaluation only writes events; the dispatcher does the rest
    expect(target.received).toHaveLength(0);
  });
});

describe('where a webhook may go', () => {
  it('refuses delivery to a loopback receiver unless WEBHOOK_ALLOWED_CIDRS allows it, and says why in the log', async () => {
    const target = await receiver();
    const { webhook } = await createWebhook(admin.ctx, { url: target.url, events: ['finding.opened'] });
    const delivery = await sendTestWebhook(admin.ctx, webhook.id);
    allowWebhookCidrs(undefined);
    try {
      await expect(deliverWebhook(system(), delivery.id, { isFinalAttempt: false })).rejects.toThrow(/127\.0\.0\.1" is a loopback address/);
      expect(target.received).toHaveLength(0);
      const log = await listDeliveries(admin.ctx, webhook.id);
      expect(log.items[0]).toMatchObject({ status: 'PENDING', attempts: 1, responseStatus: null });
      expect(log.items[0]?.error).toMatch(/^refused: "127\.0\.0\.1" is a loopback address; .*WEBHOOK_ALLOWED_CIDRS/);
      await expect(createWebhook(admin.ctx, { url: target.url, events: ['finding.opened'] })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'url', message: expect.stringMatching(/loopback/) }] });
    } finally {
      allowWebhookCidrs('127.0.0.0/8');
    }
    expect(await deliverWebhook(system(), delivery.id, { isFinalAttempt: false })).toBe('delivered');
    expect(target.received).toHaveLength(1);
  });

  it('refuses internal addresses in every spelling at save time', async () => {
    for (const url of ['https://2130706433:6379/', 'https://[::ffff:127.0.0.1]/', 'https://[64:ff9b::a9fe:a9fe]/', 'https://metadata.google.internal/', 'https://10.1.2.3/', 'https://100.64.0.1/', 'https://0.0.0.0/']) {
      allowWebhookCidrs(undefined);
      await expect(createWebhook(admin.ctx, { url, events: ['finding.opened'] }), url).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'url' }] });
    }
    allowWebhookCidrs('127.0.0.0/8');
    expect(await fx.db.webhook.count()).toBe(0);
  });

  it('does not follow a redirect, even to an allowed receiver', async () => {
    const elsewhere = await receiver();
    const bouncer = await receiver(() => ({ status: 307, headers: { location: elsewhere.url } }));
    const { webhook } = await createWebhook(admin.ctx, { url: bouncer.url, events: ['finding.opened'] });
    const delivery = await sendTestWebhook(admin.ctx, webhook.id);
    await expect(deliverWebhook(system(), delivery.id, { isFinalAttempt: true })).rejects.toThrow(/HTTP 307/);
    expect(bouncer.received).toHaveLength(1);
    expect(elsewhere.received).toHaveLength(0);
    expect(await fx.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: 'FAILED', responseStatus: 307, error: 'HTTP 307 (redirects are not followed)' });
  });

  it('connects to the address it checked while Host stays the hostname (no second lookup to rebind)', async () => {
    const target = await receiver();
    const port = new URL(target.url).port;
    const resolutions: string[] = [];
    const checked = await assertDeliverableAddress(`http://hooks.bulwark.test:${port}/hooks/bulwark`, {
      policy: { allowedCidrs: parseCidrList('127.0.0.0/8'), allowHttp: true },
      resolve: async (hostname) => { resolutions.push(hostname); return [{ address: '127.0.0.1', family: 4 }]; },
    });
    // hooks.bulwark.test does not exist in DNS: the request can only arrive through the pinned address.
    const response = await postToWebhook(checked, { 'Content-Type': 'application/json' }, '{}', AbortSignal.timeout(5_000));
    expect(response.status).toBe(200);
    expect(resolutions).toEqual(['hooks.bulwark.test']);
    expect(target.received[0]?.headers.host).toBe(`hooks.bulwark.test:${port}`);
  });

  it('over https, sends the hostname as TLS server name to the pinned address', async () => {
    // A bare TCP listener: the ClientHello carries the server name (SNI) in clear, so we can read it without a certificate.
    const hello = new Promise<Buffer>((resolve) => {
      const server = createServer((socket) => socket.once('data', (chunk: Buffer) => { resolve(chunk); socket.destroy(); server.close(); }));
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        void assertDeliverableAddress(`https://hooks.bulwark.test:${port}/x`, {
          policy: { allowedCidrs: parseCidrList('127.0.0.0/8'), allowHttp: false },
          resolve: async () => [{ address: '127.0.0.1', family: 4 }],
        }).then((target) => postToWebhook(target, {}, '{}', AbortSignal.timeout(5_000))).catch(() => undefined);
      });
    });
    expect((await hello).includes(Buffer.from('hooks.bulwark.test'))).toBe(true);
  });
});
