import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import { QUEUES } from '@/lib/platform/queue/jobs';
import { closeProducers, queueFor } from '@/lib/platform/queue/producers';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { deliverWebhook } from '@/lib/services/webhooks/deliver-webhook';
import { startReceiver, type Behaviour } from '@/lib/services/webhooks/test-receiver';
import { createOrg } from '@/lib/testing/factories';
import { GET as LIST, POST as CREATE } from './route';
import { DELETE, GET as READ, PATCH } from './[id]/route';
import { POST as ROTATE } from './[id]/rotate-secret/route';
import { GET as DELIVERIES } from './[id]/deliveries/route';
import { POST as TEST } from './[id]/test/route';
import { POST as RETRY } from './[id]/deliveries/[deliveryId]/retry/route';

// The receivers run on 127.0.0.1, which webhooks may reach only when an operator allows it (WEBHOOK_ALLOWED_CIDRS).
beforeAll(() => { process.env.WEBHOOK_ALLOWED_CIDRS = '127.0.0.0/8'; resetEnvForTests(); });
afterAll(async () => {
  delete process.env.WEBHOOK_ALLOWED_CIDRS;
  resetEnvForTests();
  await closeProducers();
  await disconnectDb();
});

type Org = { id: string; slug: string };
type Role = 'ADMIN' | 'MEMBER';
type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;
type WebhookJson = { id: string; url: string; events: string[]; format: string; enabled: boolean };
type DeliveryJson = { id: string; status: string; attempts: number; responseStatus: number | null; responseExcerpt: string | null; error: string | null };

const tokenFor = async (org: Org, role: Role) => (await createApiToken(systemContext(org.id, 'test', org.slug), { name: `${role.toLowerCase()}-webhooks`, role })).token;

async function call<P extends Record<string, string>>(handler: Handler<P>, method: string, token: string, params: P, body?: unknown, query = '') {
  const path = `http://localhost/api/v1/orgs/${params.org}/webhooks${params.id ? `/${params.id}` : ''}${query}`;
  const request = new Request(path, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const response = await handler(request, { params: Promise.resolve(params) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; issues?: { path: string }[] } } };
}

const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];
async function receiver(behaviour?: Behaviour) {
  const started = await startReceiver(behaviour);
  receivers.push(started);
  return started;
}
afterEach(async () => { for (const r of receivers.splice(0)) await r.close(); });

let acme: Org;
let admin: string;
beforeAll(async () => {
  acme = await createOrg('Webhook API Acme');
  admin = await tokenFor(acme, 'ADMIN');
});

async function create(body: Record<string, unknown>) {
  const created = await call(CREATE, 'POST', admin, { org: acme.slug }, body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { webhook: WebhookJson; secret: string };
}

/** What the worker would do with the queued job: one attempt, now. */
const attempt = (deliveryId: string, isFinalAttempt = false) =>
  deliverWebhook(systemContext(acme.id, 'test'), deliveryId, { isFinalAttempt }).catch((error: Error) => error.message);

describe('the webhooks API', () => {
  it('creates, reads, edits, disables and deletes a webhook; the secret only in the creation answer', async () => {
    const { webhook, secret } = await create({ url: 'https://hooks.example.com/bulwark', events: ['finding.opened'], format: 'JSON' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook).toMatchObject({ url: 'https://hooks.example.com/bulwark', events: ['finding.opened'], format: 'JSON', enabled: true });
    const list = await call(LIST, 'GET', admin, { org: acme.slug });
    expect(list.status).toBe(200);
    expect((list.body.items as WebhookJson[]).map((w) => w.id)).toContain(webhook.id);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    const params = { org: acme.slug, id: webhook.id };
    const read = await call(READ, 'GET', admin, params);
    expect(read.body.webhook).toMatchObject({ id: webhook.id, lastDelivery: null });
    expect(JSON.stringify(read.body)).not.toContain(secret);

    const edited = await call(PATCH, 'PATCH', admin, params, { url: 'https://hooks.example.org/x', events: ['ticket.created', 'exception.requested'], format: 'SLACK', enabled: false });
    expect(edited.status).toBe(200);
    expect(edited.body.webhook).toMatchObject({ url: 'https://hooks.example.org/x', events: ['ticket.created', 'exception.requested'], format: 'SLACK', enabled: false });
    const internal = await call(PATCH, 'PATCH', admin, params, { url: 'https://192.168.1.10/hook' });
    expect(internal.status).toBe(400);
    expect(internal.body.error?.issues?.[0]?.path).toBe('url');
    expect((await call(PATCH, 'PATCH', admin, params, {})).status).toBe(400);

    expect((await call(DELETE, 'DELETE', admin, params)).status).toBe(200);
    expect((await call(READ, 'GET', admin, params)).status).toBe(404);
    expect(await dbFor({ organizationId: acme.id }).auditLog.count({ where: { targetId: webhook.id } })).toBe(3); // created, updated, deleted
  });

  it('refuses internal addresses with a 400 naming url, unknown events naming events, and saves nothing', async () => {
    const before = await dbFor({ organizationId: acme.id }).webhook.count();
    for (const url of ['https://169.254.169.254/latest', 'https://10.0.0.7/hook', 'https://[::ffff:192.168.0.1]/', 'https://metadata.google.internal/x']) {
      const refused = await call(CREATE, 'POST', admin, { org: acme.slug }, { url, events: ['finding.opened'] });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error?.issues?.map((issue) => issue.path), url).toEqual(['url']);
    }
    const unknown = await call(CREATE, 'POST', admin, { org: acme.slug }, { url: 'https://hooks.example.com/x', events: ['finding.deleted'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.issues?.[0]?.path).toMatch(/^events/);
    expect(await dbFor({ organizationId: acme.id }).webhook.count()).toBe(before);
  });

  it('answers a member 403 on every webhook route, and another organization 404', async () => {
    const { webhook } = await create({ url: 'https://hooks.example.com/member-check', events: ['finding.opened'] });
    const params = { org: acme.slug, id: webhook.id };
    const member = await tokenFor(acme, 'MEMBER');
    expect((await call(LIST, 'GET', member, { org: acme.slug })).status).toBe(403);
    expect((await call(CREATE, 'POST', member, { org: acme.slug }, { url: 'https://hooks.example.com/m', events: ['finding.opened'] })).status).toBe(403);
    expect((await call(READ, 'GET', member, params)).status).toBe(403);
    expect((await call(PATCH, 'PATCH', member, params, { enabled: false })).status).toBe(403);
    expect((await call(DELETE, 'DELETE', member, params)).status).toBe(403);
    expect((await call(ROTATE, 'POST', member, params)).status).toBe(403);
    expect((await call(TEST, 'POST', member, params)).status).toBe(403);
    expect((await call(DELIVERIES, 'GET', member, params)).status).toBe(403);

    const globex = await createOrg('Webhook API Globex');
    const theirs = await tokenFor(globex, 'ADMIN');
    expect((await call(READ, 'GET', theirs, params)).status).toBe(404); // A's URL: not a member
    const mixed = { org: globex.slug, id: webhook.id }; // their own URL with A's webhook id
    for (const [handler, method, body] of [[READ, 'GET'], [PATCH, 'PATCH', { enabled: false }], [DELETE, 'DELETE'], [ROTATE, 'POST'], [TEST, 'POST'], [DELIVERIES, 'GET']] as const) {
      const answer = await call(handler as Handler<typeof mixed>, method, theirs, mixed, body);
      expect(answer.status, `${method} ${handler.name}`).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain('member-check');
    }
    expect(await dbFor({ organizationId: acme.id }).webhook.findUniqueOrThrow({ where: { id: webhook.id } })).toMatchObject({ enabled: true });
  });

  it('rotates the secret: the new one is returned once and signs from then on; the old one stops verifying', async () => {
    const target = await receiver();
    const { webhook, secret: first } = await create({ url: target.url, events: ['finding.opened'] });
    const params = { org: acme.slug, id: webhook.id };
    const sent = await call(TEST, 'POST', admin, params);
    expect(sent.status).toBe(202);
    expect(await attempt((sent.body.delivery as { id: string }).id)).toBe('delivered');
    const before = target.received[0]!;
    expect(new Webhook(first).verify(before.body, before.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });

    const rotated = await call(ROTATE, 'POST', admin, params);
    expect(rotated.status).toBe(200);
    const second = rotated.body.secret as string;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    expect(JSON.stringify((await call(READ, 'GET', admin, params)).body)).not.toContain(second);

    const again = await call(TEST, 'POST', admin, params);
    await attempt((again.body.delivery as { id: string }).id);
    const after = target.received[1]!;
    expect(new Webhook(second).verify(after.body, after.headers as Record<string, string>)).toMatchObject({ type: 'webhook.test' });
    expect(() => new Webhook(first).verify(after.body, after.headers as Record<string, string>)).toThrow(/signature/i);
    expect(await dbFor({ organizationId: acme.id }).auditLog.count({ where: { action: 'webhook.secret_rotated', targetId: webhook.id } })).toBe(1);
  });

  it('shows the delivery log, and "retry now" re-queues a failed delivery that then succeeds', async () => {
    const target = await receiver((index) => (index === 0 ? { status: 503, headers: {} } : 200));
    const { webhook } = await create({ url: target.url, events: ['finding.opened'] });
    const params = { org: acme.slug, id: webhook.id };
    const deliveryId = ((await call(TEST, 'POST', admin, params)).body.delivery as { id: string }).id;
    expect(await attempt(deliveryId, true)).toMatch(/HTTP 503/);

    const log = await call(DELIVERIES, 'GET', admin, params, undefined, '?limit=10');
    expect(log.status).toBe(200);
    const [failed] = log.body.items as (DeliveryJson & Record<string, unknown>)[];
    expect(Object.keys(failed!).sort()).toEqual(['attempts', 'createdAt', 'deliveredAt', 'durationMs', 'error', 'eventType', 'id', 'lastAttemptAt', 'responseExcerpt', 'responseStatus', 'status']);
    expect(failed).toMatchObject({ id: deliveryId, eventType: 'webhook.test', status: 'FAILED', attempts: 1, responseStatus: 503, responseExcerpt: 'nope', error: 'HTTP 503', deliveredAt: null });
    expect(typeof failed!.durationMs).toBe('number');
    expect(log.body.nextCursor).toBeNull();

    const retried = await call(RETRY, 'POST', admin, { ...params, deliveryId });
    expect(retried.status).toBe(202);
    expect(retried.body.delivery).toMatchObject({ id: deliveryId, status: 'PENDING' });
    const jobs = await queueFor(QUEUES.webhooks).getJobs(['waiting', 'prioritized', 'delayed']);
    // No worker runs here, so the first job still waits beside the new one; a worker would have failed it.
    const ids = jobs.filter((job) => (job.data as { deliveryId: string }).deliveryId === deliveryId).map((job) => job.id);
    expect(ids.filter((id) => id !== deliveryId)).toEqual([expect.stringMatching(new RegExp(`^${deliveryId}-retry-\\d+$`))]);
    expect(await attempt(deliveryId)).toBe('delivered');
    const [delivered] = (await call(DELIVERIES, 'GET', admin, params)).body.items as DeliveryJson[];
    expect(delivered).toMatchObject({ id: deliveryId, status: 'DELIVERED', attempts: 2, responseStatus: 200, responseExcerpt: 'ok', error: null });

    const twice = await call(RETRY, 'POST', admin, { ...params, deliveryId });
    expect(twice.status).toBe(409); // only failed deliveries are retried
    expect((await call(RETRY, 'POST', admin, { ...params, deliveryId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('sends a Slack-format test as a valid Slack message: text plus section and context blocks', async () => {
    const target = await receiver();
    const { webhook } = await create({ url: target.url, events: ['finding.opened'], format: 'SLACK' });
    const sent = await call(TEST, 'POST', admin, { org: acme.slug, id: webhook.id });
    expect(await attempt((sent.body.delivery as { id: string }).id)).toBe('delivered');
    const message = JSON.parse(target.received[0]!.body) as { text: string; blocks: { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] }[] };
    expect(Object.keys(message).sort()).toEqual(['blocks', 'text']);
    expect(message.text).toBe('[Bulwark] Test delivery from Bulwark');
    expect(message.blocks.map((block) => block.type)).toEqual(['section', 'context']);
    const [section, context] = message.blocks;
    expect(section?.text).toEqual({ type: 'mrkdwn', text: '*Test delivery from Bulwark*' });
    expect(section!.text!.text.length).toBeLessThanOrEqual(3000); // Slack's limit for a section's text
    expect(context?.elements).toEqual([{ type: 'mrkdwn', text: expect.stringContaining(`${acme.slug} · webhook.test · `) }]);
    expect(target.received[0]!.headers['content-type']).toBe('application/json');
  });
});
