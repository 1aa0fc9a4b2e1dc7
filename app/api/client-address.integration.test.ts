import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { systemContext } from '@/lib/platform/auth/context';
import { disconnectDb } from '@/lib/platform/db/client';
import { systemDb } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createOrg } from '@/lib/testing/factories';
import { POST as CREATE_TICKET } from './v1/orgs/[org]/tickets/route';
import { POST as AUTH_POST } from './auth/[...nextauth]/route';

// Which address the audit log and the per-client rate limits see, through the real route handlers.

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvForTests();
}
afterEach(() => setEnv({ TRUSTED_PROXIES: undefined, SIGNIN_RATE_LIMIT_PER_MINUTE: undefined }));
afterAll(async () => { await closeProducers(); await disconnectDb(); });

async function createTicketFrom(forwardedFor: string) {
  const org = await createOrg();
  const { token } = await createApiToken(systemContext(org.id, 'test', org.slug), { name: 'ci', role: 'ADMIN' });
  const response = await CREATE_TICKET(new Request(`http://localhost/api/v1/orgs/${org.slug}/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, 'x-real-ip': '198.51.100.77' },
    body: JSON.stringify({ title: 'Rotate the registry credentials', severity: 'SEV3' }),
  }), { params: Promise.resolve({ org: org.slug }) });
  expect(response.status).toBe(201);
  const ticket = (await response.json()) as { id: string };
  return systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id, targetId: ticket.id }, select: { action: true, ip: true } });
}

describe('client addresses', () => {
  it('records no address a client merely claims (no trusted proxy configured)', async () => {
    expect(await createTicketFrom('6.6.6.6')).toEqual({ action: 'ticket.created', ip: null });
  });

  it('records the address our trusted proxy saw, not the one the client put in front of it', async () => {
    setEnv({ TRUSTED_PROXIES: '10.0.0.0/8' });
    // The client sent "X-Forwarded-For: 6.6.6.6"; the edge proxy (10.0.0.7) appended 203.0.113.9, the ingress appended 10.0.0.7.
    expect(await createTicketFrom('6.6.6.6, 203.0.113.9, 10.0.0.7')).toEqual({ action: 'ticket.created', ip: '203.0.113.9' });
  });

  it('does not give a new sign-in allowance to each X-Forwarded-For a client invents, and one client does not lock out another', async () => {
    setEnv({ SIGNIN_RATE_LIMIT_PER_MINUTE: '2', TRUSTED_PROXIES: '10.0.0.0/8' });
    const attempt = async (forwardedFor: string) => {
      const request = new Request('http://localhost:3000/api/auth/signin/oidc', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor }, body: 'csrfToken=x',
      });
      try {
        return (await AUTH_POST(request, { params: Promise.resolve({ nextauth: ['signin', 'oidc'] }) })).status;
      } catch {
        return 'handled by next-auth'; // past the limit check; next-auth itself needs a Next.js request scope
      }
    };
    // The client invents the left part; our proxy (10.0.0.7) appended the address it saw, 203.0.113.9.
    expect(await attempt('192.0.2.1, 203.0.113.9, 10.0.0.7')).not.toBe(429);
    expect(await attempt('192.0.2.2, 203.0.113.9, 10.0.0.7')).not.toBe(429);
    expect(await attempt('192.0.2.3, 203.0.113.9, 10.0.0.7')).toBe(429);
    expect(await attempt('203.0.113.10, 10.0.0.7')).not.toBe(429); // someone else behind the same proxy
  });

  it('applies no per-client sign-in limit when the client address cannot be known (no trusted proxies)', async () => {
    setEnv({ SIGNIN_RATE_LIMIT_PER_MINUTE: '1' });
    const attempt = async () => {
      const request = new Request('http://localhost:3000/api/auth/signin/oidc', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.50' }, body: 'csrfToken=x',
      });
      try {
        return (await AUTH_POST(request, { params: Promise.resolve({ nextauth: ['signin', 'oidc'] }) })).status;
      } catch {
        return 'handled by next-auth';
      }
    };
    for (let i = 0; i < 3; i++) expect(await attempt()).not.toBe(429);
  });
});
