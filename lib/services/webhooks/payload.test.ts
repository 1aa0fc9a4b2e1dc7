import { describe, expect, it } from 'vitest';
import { renderWebhookBody, slackMessage, type WebhookPayload } from './payload';

const payload: WebhookPayload = {
  id: 'e1', type: 'finding.opened', occurredAt: '2026-04-01T12:00:00.000Z', organization: { slug: 'acme' },
  data: { findingId: 'f1', finding: { severity: 'CRITICAL', controlId: 'workload.privileged-container', resource: 'Deployment shop/<web>&co', clusterName: 'prod', url: 'https://bulwark.example/o/acme/findings/f1' } },
};

describe('webhook bodies', () => {
  it('sends the payload itself as JSON', () => {
    expect(JSON.parse(renderWebhookBody('JSON', payload))).toEqual(payload);
  });

  it('sends Slack a text line and blocks, escaping Slack control characters', () => {
    const message = slackMessage(payload);
    expect(message.text).toBe('[Bulwark] New finding: CRITICAL workload.privileged-container on Deployment shop/&lt;web&gt;&amp;co (prod)');
    expect(JSON.stringify(message.blocks)).toContain('<https://bulwark.example/o/acme/findings/f1|Open in Bulwark>');
    expect(JSON.parse(renderWebhookBody('SLACK', payload))).toEqual(message);
  });

  it('names an event it has no words for by its type', () => {
    expect(slackMessage({ ...payload, type: 'something.new', data: {} }).text).toBe('[Bulwark] something.new');
  });
});
