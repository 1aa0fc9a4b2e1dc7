import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from './openapi';
import { webhookEventSchemaName } from './openapi-webhooks';
import { DOMAIN_EVENT_TYPES } from '../events/types';
import { slackMessage } from '../webhooks/payload';

describe('the OpenAPI document', () => {
  it('documents every v1 route with its parameters from the zod schemas', () => {
    const doc = openApiDocument('http://localhost:3000') as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/snapshots', '/api/v1/orgs/{org}/findings', '/api/v1/orgs/{org}/scores']));
    const findingParams = doc.paths['/api/v1/orgs/{org}/findings']?.get?.parameters?.map((p) => p.name);
    expect(findingParams).toEqual(expect.arrayContaining(['severity', 'status', 'cursor', 'limit', 'mine', 'overdue']));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('the webhooks in the OpenAPI document', () => {
  type Doc = { paths: Record<string, Record<string, unknown>>; webhooks: Record<string, { post: { parameters: { name: string }[] } }>; components: { schemas: Record<string, Record<string, unknown>> } };
  const doc = openApiDocument('http://localhost:3000') as unknown as Doc;

  it('documents every webhook route and the Standard Webhooks headers of every event', () => {
    expect(Object.keys(doc.paths['/api/v1/orgs/{org}/webhooks'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/orgs/{org}/webhooks/{id}'] ?? {})).toEqual(['get', 'patch', 'delete']);
    for (const path of ['rotate-secret', 'test', 'deliveries/{deliveryId}/retry']) expect(doc.paths[`/api/v1/orgs/{org}/webhooks/{id}/${path}`]).toHaveProperty('post');
    expect(doc.paths['/api/v1/orgs/{org}/webhooks/{id}/deliveries']).toHaveProperty('get');
    expect(Object.keys(doc.webhooks).sort()).toEqual([...DOMAIN_EVENT_TYPES, 'webhook.test'].sort());
    expect(doc.webhooks['finding.opened']?.post.parameters.map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'x-bulwark-event']);
  });

  it('has a JSON Schema per event type that real payloads satisfy and wrong ones fail', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const schemaOf = (type: string) => ajv.compile(doc.components.schemas[webhookEventSchemaName(type)]!);
    const finding = { id: '6f1c1e0a-8a4b-4a57-9c83-3c6a0e0c0001', controlId: 'workload.privileged-container', severity: 'CRITICAL', status: 'OPEN', resolutionReason: null, resource: 'Deployment shop/web', message: 'privileged', clusterName: 'prod', url: 'https://bulwark.example/o/acme/findings/6f1c1e0a-8a4b-4a57-9c83-3c6a0e0c0001' };
    const opened = {
      id: '6f1c1e0a-8a4b-4a57-9c83-3c6a0e0c0002', type: 'finding.opened', occurredAt: '2026-04-01T12:00:00.000Z', organization: { slug: 'acme' },
      data: { findingId: finding.id, clusterId: '6f1c1e0a-8a4b-4a57-9c83-3c6a0e0c0003', controlId: finding.controlId, severity: 'CRITICAL', finding },
    };
    expect(schemaOf('finding.opened')(opened)).toBe(true);
    expect(schemaOf('finding.resolved')(opened)).toBe(false); // the type is fixed per schema
    expect(schemaOf('finding.opened')({ ...opened, data: { ...opened.data, findingId: 'not-a-uuid' } })).toBe(false);
    const test = { id: '6f1c1e0a-8a4b-4a57-9c83-3c6a0e0c0004', type: 'webhook.test', occurredAt: '2026-04-01T12:00:00.000Z', organization: { slug: 'acme' }, data: { message: 'This is a test delivery from Bulwark.' } };
    expect(schemaOf('webhook.test')(test)).toBe(true);
    const slack = ajv.compile(doc.components.schemas.SlackMessage!);
    expect(slack(slackMessage(test))).toBe(true);
    expect(slack(slackMessage(opened))).toBe(true);
    expect(slack({ text: 'x', blocks: [{ type: 'header' }] })).toBe(false);
  });
});
