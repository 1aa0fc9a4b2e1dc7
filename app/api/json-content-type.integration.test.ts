import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { systemDb } from '@/lib/platform/db/tenant';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createOrg } from '@/lib/testing/factories';
import { POST as CREATE_TICKET } from './v1/orgs/[org]/tickets/route';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

// Session-cookie requests are covered end to end in e2e/security-headers.spec.ts; the check is the same for tokens.
describe('JSON bodies', () => {
  it('answers 415 to a body not declared as application/json, and writes nothing', async () => {
    const org = await createOrg();
    const { token } = await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ci', role: 'ADMIN' });
    const send = (contentType: string | null) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (contentType) headers['content-type'] = contentType;
      return CREATE_TICKET(new Request(`http://localhost/api/v1/orgs/${org.slug}/tickets`, {
        method: 'POST', headers, body: JSON.stringify({ title: 'From a form', severity: 'SEV3' }),
      }), { params: Promise.resolve({ org: org.slug }) });
    };
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const response = await send(contentType);
      expect(response.status, String(contentType)).toBe(415);
      expect(await response.json()).toEqual({ error: { code: 'unsupported_media_type', message: expect.stringContaining('Content-Type: application/json') } });
    }
    expect(await systemDb().ticket.count({ where: { organizationId: org.id } })).toBe(0);
    expect((await send('application/json; charset=utf-8')).status).toBe(201);
  });
});
