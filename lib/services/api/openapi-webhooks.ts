import { z } from 'zod';
import { CreateWebhookSchema, ListDeliveriesQuerySchema, PatchWebhookBodySchema, WebhookResourceSchema } from '../webhooks/schemas';
import { SlackMessageSchema, WEBHOOK_PAYLOAD_TYPES, webhookPayloadSchema } from '../webhooks/event-schemas';

type JsonSchema = Record<string, unknown>;

// The webhooks part of the OpenAPI document (issue 20): the management routes, a JSON Schema per event payload in
// components.schemas, and OpenAPI 3.1's top-level `webhooks` naming what Bulwark POSTs to a receiver.

function schema(s: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `finding.opened` → `WebhookEvent_finding_opened` (component names allow only [A-Za-z0-9._-]; dots are kept readable). */
export const webhookEventSchemaName = (type: string) => `WebhookEvent_${type.replace(/\./g, '_')}`;

const ERROR = { $ref: '#/components/schemas/Error' };
const DESCRIPTIONS: Record<number, string> = { 400: 'Invalid input (issues name the field, e.g. url)', 401: 'Not signed in / bad token', 403: 'Role not allowed (owners and admins only)', 404: 'Not found (or not a member)', 409: 'Conflict', 429: 'Rate limited (see Retry-After)', 503: 'Queue unavailable' };
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [String(code), { description: DESCRIPTIONS[code] ?? 'Error', content: { 'application/json': { schema: ERROR } } }]));
const orgParam = { name: 'org', in: 'path', required: true, schema: { type: 'string' }, description: 'Organization slug' };
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'Webhook id' };
const deliveryParam = { name: 'deliveryId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const security = [{ apiToken: [] }];
const body = (s: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(s) } } });
const answer = (description: string, s: JsonSchema) => ({ description, content: { 'application/json': { schema: s } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const secret = { type: 'string', pattern: '^whsec_', description: 'The signing secret (whsec_ + base64 key), returned only in this answer' };

const DeliverySchema = z.object({
  id: z.uuid().describe('Also the webhook-id header of every attempt'), eventType: z.string(), status: z.enum(['PENDING', 'DELIVERED', 'FAILED']), attempts: z.int(),
  responseStatus: z.int().nullable(), responseExcerpt: z.string().nullable().describe('The first 500 bytes of the answer'), error: z.string().nullable(),
  durationMs: z.int().nullable(), createdAt: z.iso.datetime(), lastAttemptAt: z.iso.datetime().nullable(), deliveredAt: z.iso.datetime().nullable(),
});

export const webhookComponents: Record<string, JsonSchema> = {
  Webhook: schema(WebhookResourceSchema),
  WebhookDelivery: schema(DeliverySchema),
  SlackMessage: schema(SlackMessageSchema),
  ...Object.fromEntries(WEBHOOK_PAYLOAD_TYPES.map((type) => [webhookEventSchemaName(type), schema(webhookPayloadSchema(type))])),
};

const QUERY = Object.entries((schema(ListDeliveriesQuerySchema) as { properties: Record<string, JsonSchema> }).properties)
  .map(([name, property]) => ({ name, in: 'query', required: false, schema: property }));

export const webhookPaths: Record<string, JsonSchema> = {
  '/api/v1/orgs/{org}/webhooks': {
    get: { summary: 'List webhooks (never their secrets), each with its latest delivery; owners and admins', security, parameters: [orgParam], responses: { 200: answer('{items}', { type: 'object', properties: { items: { type: 'array', items: ref('Webhook') } } }), ...errors(401, 403, 404, 429) } },
    post: { summary: 'Create a webhook (https; internal addresses refused); the answer carries the signing secret once', security, parameters: [orgParam], requestBody: body(CreateWebhookSchema), responses: { 201: answer('{webhook, secret}', { type: 'object', properties: { webhook: ref('Webhook'), secret } }), ...errors(400, 401, 403, 404, 429) } },
  },
  '/api/v1/orgs/{org}/webhooks/{id}': {
    get: { summary: 'A webhook with its latest delivery', security, parameters: [orgParam, idParam], responses: { 200: answer('{webhook}', { type: 'object', properties: { webhook: ref('Webhook') } }), ...errors(401, 403, 404, 429) } },
    patch: { summary: 'Change url (checked like a new one), events, format, or enable/disable', security, parameters: [orgParam, idParam], requestBody: body(PatchWebhookBodySchema), responses: { 200: answer('{webhook}', { type: 'object', properties: { webhook: ref('Webhook') } }), ...errors(400, 401, 403, 404, 429) } },
    delete: { summary: 'Delete a webhook and its delivery log', security, parameters: [orgParam, idParam], responses: { 200: answer('{deleted: true}', { type: 'object' }), ...errors(401, 403, 404, 429) } },
  },
  '/api/v1/orgs/{org}/webhooks/{id}/rotate-secret': {
    post: { summary: 'Replace the signing secret; the new one is returned once and the old one stops verifying at once', security, parameters: [orgParam, idParam], responses: { 200: answer('{webhook, secret}', { type: 'object', properties: { webhook: ref('Webhook'), secret } }), ...errors(401, 403, 404, 429) } },
  },
  '/api/v1/orgs/{org}/webhooks/{id}/deliveries': {
    get: { summary: 'The delivery log, newest first (keyset: pass nextCursor as cursor)', security, parameters: [orgParam, idParam, ...QUERY], responses: { 200: answer('{items, nextCursor}', { type: 'object', properties: { items: { type: 'array', items: ref('WebhookDelivery') }, nextCursor: { type: ['string', 'null'] } } }), ...errors(400, 401, 403, 404, 429) } },
  },
  '/api/v1/orgs/{org}/webhooks/{id}/test': {
    post: { summary: 'Queue a webhook.test delivery; its outcome appears in the delivery log', security, parameters: [orgParam, idParam], responses: { 202: answer('{delivery}', { type: 'object' }), ...errors(401, 403, 404, 429, 503) } },
  },
  '/api/v1/orgs/{org}/webhooks/{id}/deliveries/{deliveryId}/retry': {
    post: { summary: 'Retry now: a failed delivery is pending again and queued at once', security, parameters: [orgParam, idParam, deliveryParam], responses: { 202: answer('{delivery}', { type: 'object' }), ...errors(401, 403, 404, 409, 429, 503) } },
  },
};

const SIGNATURE_HEADERS = [
  { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The delivery id: the same on every retry, so receivers can drop duplicates' },
  { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string', pattern: '^[0-9]+$' }, description: 'Seconds since the epoch when this attempt was signed; refuse ones far from now' },
  { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string', pattern: '^v1,' }, description: 'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"> keyed with the base64-decoded part of the whsec_ secret (Standard Webhooks)' },
  { name: 'x-bulwark-event', in: 'header', required: true, schema: { type: 'string' }, description: 'The event type' },
];

/** OpenAPI 3.1 `webhooks`: what Bulwark POSTs to a receiver, one entry per event type (JSON format; SLACK sends SlackMessage). */
export const webhookOperations: Record<string, JsonSchema> = Object.fromEntries(WEBHOOK_PAYLOAD_TYPES.map((type) => [type, {
  post: {
    summary: `${type} delivery`,
    description: 'Signed with Standard Webhooks headers. A 2xx answer within 10 s counts as delivered; anything else is retried with backoff (6 attempts). Redirects are not followed.',
    parameters: SIGNATURE_HEADERS,
    requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [ref(webhookEventSchemaName(type)), ref('SlackMessage')] } } } },
    responses: { 200: { description: 'Received' } },
  },
}]));
