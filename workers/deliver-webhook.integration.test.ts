import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createMember } from '@/lib/testing/factories';
import { app, baseObjects, orgWithFindings } from '@/lib/testing/findings-fixture';
import { createWebhook } from '@/lib/services/webhooks/create-webhook';
import { verifyWebhookSignature } from '@/lib/services/webhooks/signature';
import { startReceiver } from '@/lib/services/webhooks/test-receiver';
import { startWorkers } from './main';
import { waitFor } from '@/lib/testing/wait-for';
import { resetEnvForTests } from '@/lib/platform/env';

// The receiver runs on 127.0.0.1, which webhooks may only reach when an operator allows it.
beforeAll(() => { process.env.WEBHOOK_ALLOWED_CIDRS = '127.0.0.0/8'; resetEnvForTests(); });

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe('webhooks through the worker', () => {
  it('dispatches a resolved finding on schedule and retries a receiver that first answers 500 until it is delivered', async () => {
    const fx = await orgWithFindings(['api', 'web']);
    const { ctx } = await createMember(fx.org, 'ADMIN');
    const receiver = await startReceiver((index) => (index === 0 ? 500 : 200));
    const { webhook, secret } = await createWebhook(ctx, { url: receiver.url, events: ['finding.resolved'] });
    const workers = await startWorkers(); // schedules dispatch-events every 5 s
    try {
      await fx.evaluate(2, [...baseObjects(), app('api'), app('web', false)]);
      const delivered = await waitFor(
        () => fx.db.webhookDelivery.findFirst({ where: { webhookId: webhook.id, status: 'DELIVERED' } }),
        'the delivery to succeed on its second attempt',
      );
      expect(delivered).toMatchObject({ eventType: 'finding.resolved', attempts: 2, responseStatus: 200, error: null });
      expect(receiver.received).toHaveLength(2);
      const [first, second] = receiver.received;
      expect(first?.body).toBe(second?.body); // the same signed payload on retry
      expect(first?.headers['webhook-id']).toBe(delivered.id); // the same message id on retry (Standard Webhooks)
      expect(second?.headers['webhook-id']).toBe(delivered.id);
      expect(verifyWebhookSignature(secret, { id: delivered.id, timestamp: String(second?.headers['webhook-timestamp']), signature: String(second?.headers['webhook-signature']) }, second?.body ?? '')).toBe(true);
      expect(await fx.db.domainEvent.count({ where: { dispatchedAt: null } })).toBe(0);
    } finally {
      await workers.close();
      await receiver.close();
    }
  });
});
