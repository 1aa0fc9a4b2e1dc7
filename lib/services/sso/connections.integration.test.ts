import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb, type Role } from '../../platform/db/client';
import { resetEnvForTests } from '../../platform/env';
import { keyIdOf, open } from '../../platform/auth/secret-box';
import { createMember, createOrg } from '../../testing/factories';
import { discoveryFor } from '../../testing/sso';
import { findActiveConnection, invalidateSsoConnectionCache } from './connection-cache';
import {
  createSsoConnection, deleteSsoConnection, listSsoConnections, rotateSsoSecret, setSsoConnectionEnabled, updateSsoConnection,
} from './connections';

const ROOT = path.resolve(import.meta.dirname, '../../..');

// A real HTTP server plays the identity providers: one path per way a discovery document can be wrong.
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    const issuer = `${base}${url.replace(/\/\.well-known\/openid-configuration$/, '')}`;
    if (url.startsWith('/good')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(discoveryFor(issuer)));
    if (url.startsWith('/html')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in</title>');
    if (url.startsWith('/mismatch')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(discoveryFor('https://evil.example')));
    if (url.startsWith('/missing')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth` }));
    if (url.startsWith('/slow')) return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await disconnectDb();
});

const DEV = { production: false } as const;

async function orgState(organizationId: string) {
  const [connections, audit] = await Promise.all([
    systemDb().ssoConnection.findMany({ where: { organizationId }, orderBy: { id: 'asc' }, omit: { clientSecretCiphertext: false } }),
    systemDb().auditLog.count({ where: { organizationId } }),
  ]);
  return { connections, audit };
}

function input(pathName: string, extra: Partial<{ name: string; clientSecret: string }> = {}) {
  return { name: extra.name ?? 'Acme Okta', issuer: `${base}/${pathName}`, clientId: 'bulwark', clientSecret: extra.clientSecret ?? 'the-client-secret-1' };
}

describe('SSO connections', () => {
  it('saves a connection with its discovery document and the secret encrypted, never listed, with an audit entry', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const created = await createSsoConnection(owner.ctx, input('good/realms/acme'), DEV);
    expect(created).toMatchObject({ name: 'Acme Okta', issuer: `${base}/good/realms/acme`, scopes: 'openid email profile', groupClaim: 'groups', enabled: true });
    expect(JSON.stringify(created)).not.toContain('the-client-secret-1');
    const row = await systemDb().ssoConnection.findUniqueOrThrow({ where: { id: created.id }, omit: { clientSecretCiphertext: false } });
    expect(row.clientSecretCiphertext).not.toContain('the-client-secret-1');
    expect(open({ ciphertext: row.clientSecretCiphertext, keyId: row.clientSecretKeyId }, row.id)).toBe('the-client-secret-1');
    expect(row.discovery).toMatchObject({ token_endpoint: `${base}/good/realms/acme/token` });
    const listed = await listSsoConnections(owner.ctx);
    expect(JSON.stringify(listed)).not.toMatch(/the-client-secret-1|clientSecret/);
    const audit = await systemDb().auditLog.findFirstOrThrow({ where: { organizationId: org.id }, orderBy: { seq: 'desc' } });
    expect(audit).toMatchObject({ action: 'sso_connection.created', targetId: created.id });
    expect(JSON.stringify(audit)).not.toContain('the-client-secret-1');
  });

  it.each([
    ['html', /HTML page, not a JSON discovery document/],
    ['mismatch', /declares the issuer "https:\/\/evil.example"/],
    ['missing', /missing or invalid: token_endpoint.*jwks_uri/],
    ['nothing-here', /answered HTTP 404/],
  ])('refuses a connection whose discovery is wrong (%s), naming what failed, and writes nothing', async (pathName, message) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const before = await orgState(org.id);
    await expect(createSsoConnection(owner.ctx, input(pathName), DEV)).rejects.toMatchObject({ code: 'invalid', message, issues: [expect.objectContaining({ path: 'issuer' })] });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('refuses an unreachable issuer and one that does not answer in time', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createSsoConnection(owner.ctx, { ...input('x'), issuer: `http://127.0.0.1:${closedPort}` }, DEV)).rejects.toMatchObject({ code: 'invalid', message: /is unreachable \(ECONNREFUSED\)/ });
    await expect(createSsoConnection(owner.ctx, input('slow'), { production: false, fetch: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(300) }) }))
      .rejects.toMatchObject({ code: 'invalid', message: /did not answer within/ });
    expect(await systemDb().ssoConnection.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it('refuses an issuer at an internal address before fetching anything (no server-side request into the platform network)', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    let fetched = 0;
    const counting: typeof fetch = async (url, init) => { fetched++; return fetch(url, init); };
    for (const issuer of ['http://10.255.255.1/realms/acme', 'http://169.254.169.254/latest', 'http://[::ffff:192.168.0.1]/idp']) {
      await expect(createSsoConnection(owner.ctx, { ...input('x'), issuer }, { production: false, fetch: counting }))
        .rejects.toMatchObject({ code: 'invalid', message: /must be at a public address/, issues: [expect.objectContaining({ path: 'issuer' })] });
    }
    expect(fetched).toBe(0);
    expect(await systemDb().ssoConnection.count({ where: { organizationId: org.id } })).toBe(0);
  });

  it('refuses an http:// issuer in production before fetching anything', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    await expect(createSsoConnection(owner.ctx, input('good'), { production: true })).rejects.toMatchObject({ code: 'invalid', message: /must use https:\/\/ in production/ });
  });

  it('changes settings (discovery re-validated), rotates the secret, disables and deletes, each audited', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const created = await createSsoConnection(owner.ctx, input('good/a'), DEV);
    await expect(updateSsoConnection(owner.ctx, { connectionId: created.id, name: 'Renamed', issuer: `${base}/html`, clientId: 'c2' }, DEV)).rejects.toMatchObject({ code: 'invalid' });
    const updated = await updateSsoConnection(owner.ctx, { connectionId: created.id, name: 'Renamed', issuer: `${base}/good/b`, clientId: 'c2', groupClaim: 'roles' }, DEV);
    expect(updated).toMatchObject({ name: 'Renamed', issuer: `${base}/good/b`, clientId: 'c2', groupClaim: 'roles' });

    await rotateSsoSecret(owner.ctx, { connectionId: created.id, clientSecret: 'second-secret' });
    invalidateSsoConnectionCache();
    expect(await findActiveConnection(created.id)).toMatchObject({ clientSecret: 'second-secret', groupClaim: 'roles' });

    await setSsoConnectionEnabled(owner.ctx, { connectionId: created.id, enabled: false });
    expect(await findActiveConnection(created.id)).toBeNull();
    await deleteSsoConnection(owner.ctx, { connectionId: created.id });
    expect(await systemDb().ssoConnection.count({ where: { id: created.id } })).toBe(0);

    const actions = (await systemDb().auditLog.findMany({ where: { organizationId: org.id }, orderBy: { seq: 'asc' }, select: { action: true } })).map((a) => a.action);
    expect(actions).toEqual(['sso_connection.created', 'sso_connection.updated', 'sso_connection.secret_rotated', 'sso_connection.disabled', 'sso_connection.deleted']);
    const log = JSON.stringify(await systemDb().auditLog.findMany({ where: { organizationId: org.id } }));
    expect(log).not.toMatch(/second-secret|the-client-secret-1/);
  });

  it.each<Role>(['ADMIN', 'MEMBER', 'AUDITOR', 'VIEWER'])('a %s gets 403 on every connection action and nothing changes', async (role) => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const actor = await createMember(org, role);
    const connection = await createSsoConnection(owner.ctx, input('good/r'), DEV);
    const before = await orgState(org.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => listSsoConnections(actor.ctx),
      () => createSsoConnection(actor.ctx, input('good/x'), DEV),
      () => updateSsoConnection(actor.ctx, { connectionId: connection.id, name: 'x', issuer: `${base}/good/r`, clientId: 'x' }, DEV),
      () => rotateSsoSecret(actor.ctx, { connectionId: connection.id, clientSecret: 'x' }),
      () => setSsoConnectionEnabled(actor.ctx, { connectionId: connection.id, enabled: false }),
      () => deleteSsoConnection(actor.ctx, { connectionId: connection.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    expect(await orgState(org.id)).toEqual(before);
  });

  it('an owner of org B gets 404 for org A\'s connection on every action, and nothing changes', async () => {
    const a = await createOrg();
    const b = await createOrg();
    const aOwner = await createMember(a, 'OWNER');
    const bOwner = await createMember(b, 'OWNER');
    const connection = await createSsoConnection(aOwner.ctx, input('good/iso'), DEV);
    const before = await orgState(a.id);
    const attempts: (() => Promise<unknown>)[] = [
      () => updateSsoConnection(bOwner.ctx, { connectionId: connection.id, name: 'x', issuer: `${base}/good/iso`, clientId: 'x' }, DEV),
      () => rotateSsoSecret(bOwner.ctx, { connectionId: connection.id, clientSecret: 'x' }),
      () => setSsoConnectionEnabled(bOwner.ctx, { connectionId: connection.id, enabled: false }),
      () => deleteSsoConnection(bOwner.ctx, { connectionId: connection.id }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await orgState(a.id)).toEqual(before);
    expect(await listSsoConnections(bOwner.ctx)).toEqual([]);
  });

  it('refuses to disable or delete the last enabled connection while SSO is enforced', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const connection = await createSsoConnection(owner.ctx, input('good/only'), DEV);
    await systemDb().organization.update({ where: { id: org.id }, data: { ssoEnforced: true, ssoBreakGlassUserId: owner.user.id } });
    await expect(setSsoConnectionEnabled(owner.ctx, { connectionId: connection.id, enabled: false })).rejects.toMatchObject({ code: 'conflict', message: /turn enforcement off/ });
    await expect(deleteSsoConnection(owner.ctx, { connectionId: connection.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('`npm run admin -- keys:rotate` re-encrypts every secret with the new key; the old key can then go', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    process.env.BULWARK_ENCRYPTION_KEY = oldKey;
    resetEnvForTests();
    const connection = await createSsoConnection(owner.ctx, input('good/rot', { clientSecret: 'rotating-secret' }), DEV);
    const admin = (env: Record<string, string>) => promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/admin.ts', 'keys:rotate', '--json'], { cwd: ROOT, env: { ...process.env, ...env } })
      .then(({ stdout }) => JSON.parse(stdout) as { keyId: string; reencrypted: number; failed: unknown[] });
    const result = await admin({ BULWARK_ENCRYPTION_KEY: newKey, BULWARK_ENCRYPTION_KEYS_OLD: oldKey });
    expect(result.keyId).toBe(keyIdOf(Buffer.from(newKey, 'base64')));
    expect(result.reencrypted).toBeGreaterThanOrEqual(1);
    expect(result.failed).toEqual([]);

    // Only the new key configured now: the secret still opens.
    process.env.BULWARK_ENCRYPTION_KEY = newKey;
    delete process.env.BULWARK_ENCRYPTION_KEYS_OLD;
    resetEnvForTests();
    invalidateSsoConnectionCache();
    expect(await findActiveConnection(connection.id)).toMatchObject({ clientSecret: 'rotating-secret' });
    expect(await systemDb().auditLog.findFirst({ where: { organizationId: org.id, action: 'sso_connection.secret_reencrypted' } })).not.toBeNull();
    delete process.env.BULWARK_ENCRYPTION_KEY;
    resetEnvForTests();
  }, 90_000);
});
