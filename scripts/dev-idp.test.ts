import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevIdp, type DevIdp } from './dev-idp';
import { DEV_PASSWORD, nameFromEmail, subjectForEmail } from './dev-idp-users';

// Drives the real authorization-code flow the way a browser and next-auth would: manual redirects, cookies
// carried by hand, PKCE S256, and the code exchanged at the token endpoint.

const CLIENT_ID = 'bulwark-dev';
const CLIENT_SECRET = 'bulwark-dev-secret';
const REDIRECT_URI = 'http://localhost:3100/api/auth/callback/oidc';

let idp: DevIdp;

beforeAll(async () => {
  vi.stubEnv('DEV_IDP_CLIENT_ID', CLIENT_ID);
  vi.stubEnv('DEV_IDP_CLIENT_SECRET', CLIENT_SECRET);
  vi.stubEnv('DEV_IDP_REDIRECT_URIS', '');
  vi.stubEnv('DEV_IDP_COOKIE_KEYS', '');
  idp = await startDevIdp({ port: 0, redirectUris: [REDIRECT_URI] });
});

afterAll(async () => {
  await idp?.close();
  vi.unstubAllEnvs();
});

class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function url(path: string): string {
  return new URL(path, idp.issuer).href;
}

async function get(jar: CookieJar, target: string): Promise<Response> {
  const res = await fetch(url(target), { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.store(res);
  return res;
}

async function postForm(jar: CookieJar, target: string, form: Record<string, string>): Promise<Response> {
  const res = await fetch(url(target), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  jar.store(res);
  return res;
}

function location(res: Response): URL {
  const value = res.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(value, idp.issuer);
}

type Authorization = { jar: CookieJar; verifier: string; state: string; loginPath: string };

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, response_type: 'code', scope: 'openid email profile groups', ...params,
  });
  return `/auth?${query}`;
}

async function startAuthorization(): Promise<Authorization> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const res = await get(jar, authorizeUrl({ state, code_challenge: challenge, code_challenge_method: 'S256' }));
  expect(res.status).toBe(303);
  return { jar, verifier, state, loginPath: location(res).pathname };
}

/** Signs in and follows the resume redirect; returns the redirect back to the app. */
async function signIn(auth: Authorization, email: string, password: string): Promise<URL> {
  const login = await postForm(auth.jar, auth.loginPath, { email, password });
  expect(login.status).toBe(303);
  const resume = await get(auth.jar, location(login).href);
  expect(resume.status).toBe(303);
  return location(resume);
}

async function exchangeCode(auth: Authorization, code: string, clientAuth: 'basic' | 'post'): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: auth.verifier });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (clientAuth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  } else {
    form.set('client_id', CLIENT_ID);
    form.set('client_secret', CLIENT_SECRET);
  }
  return fetch(url('/token'), { method: 'POST', headers, body: form });
}

async function idTokenPayload(res: Response): Promise<unknown> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { id_token?: string };
  const [, payload = ''] = (body.id_token ?? '').split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

describe('dev OIDC provider', () => {
  it('publishes a discovery document for its issuer with PKCE S256 and the groups scope', async () => {
    const res = await fetch(url('/.well-known/openid-configuration'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/auth`,
      token_endpoint: `${idp.issuer}/token`,
      jwks_uri: `${idp.issuer}/jwks`,
      code_challenge_methods_supported: ['S256'],
      scopes_supported: expect.arrayContaining(['openid', 'email', 'profile', 'groups']),
      claims_supported: expect.arrayContaining(['email', 'email_verified', 'name', 'groups']),
    });
  });

  it('sends an authorization request to a labelled sign-in form and sets no cookie the app could clash with', async () => {
    const auth = await startAuthorization();
    expect(auth.loginPath).toMatch(/^\/interaction\/[\w-]+$/);
    expect([...auth.jar.cookies.keys()].every((name) => name.startsWith('idp_'))).toBe(true);

    const page = await get(auth.jar, auth.loginPath);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Bulwark development identity provider — not for production');
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toContain('>Sign in</button>');
    expect(html).toContain('owner@acme.test');
    expect(html).toContain(`<code>${DEV_PASSWORD}</code>`);
  });

  it('shows "Wrong email or password" for a wrong password and escapes the email it echoes back', async () => {
    const auth = await startAuthorization();
    const wrong = await postForm(auth.jar, auth.loginPath, { email: 'owner@acme.test', password: 'nope' });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Wrong email or password');

    const hostile = await postForm(auth.jar, auth.loginPath, { email: '"><script>alert(1)</script>@x.test', password: 'nope' });
    const html = await hostile.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@x.test');
  });

  it('signs a demo user in and exchanges the code for an ID token with email, name and groups', async () => {
    const auth = await startAuthorization();
    const callback = await signIn(auth, 'engineer@acme.test', DEV_PASSWORD);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(auth.state);
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    expect(await idTokenPayload(await exchangeCode(auth, code ?? '', 'basic'))).toMatchObject({
      iss: idp.issuer,
      aud: CLIENT_ID,
      sub: subjectForEmail('engineer@acme.test'),
      email: 'engineer@acme.test',
      email_verified: true,
      name: 'Erin Engineer',
      groups: ['acme-engineers', 'team-platform'],
    });
  });

  it('refuses the code without the right PKCE verifier', async () => {
    const auth = await startAuthorization();
    const code = (await signIn(auth, 'viewer@acme.test', DEV_PASSWORD)).searchParams.get('code') ?? '';
    const res = await exchangeCode({ ...auth, verifier: randomBytes(32).toString('base64url') }, code, 'basic');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('signs in any address under .test with the dev password, named after the email and with no groups', async () => {
    const email = `owner-${randomBytes(4).toString('hex')}@e2e.test`;
    const auth = await startAuthorization();
    const code = (await signIn(auth, email, DEV_PASSWORD)).searchParams.get('code') ?? '';

    expect(await idTokenPayload(await exchangeCode(auth, code, 'post'))).toMatchObject({
      sub: subjectForEmail(email),
      email,
      name: nameFromEmail(email),
      groups: [],
    });
  });

  it('rejects an address outside .test even with the dev password', async () => {
    const auth = await startAuthorization();
    const res = await postForm(auth.jar, auth.loginPath, { email: 'owner@acme.com', password: DEV_PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Wrong email or password');
  });

  it('rejects an authorization request without a PKCE challenge', async () => {
    const res = await get(new CookieJar(), authorizeUrl({ state: 'no-pkce' }));
    expect(res.status).toBe(303);
    const callback = location(res);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('refuses to redirect to a redirect_uri that is not registered', async () => {
    const res = await get(new CookieJar(), authorizeUrl({
      redirect_uri: 'http://localhost:9999/steal', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256',
    }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('fails to start, naming the variable, when DEV_IDP_REDIRECT_URIS holds something that is not a URL', async () => {
    vi.stubEnv('DEV_IDP_REDIRECT_URIS', 'not a url');
    try {
      await expect(startDevIdp({ port: 0 })).rejects.toThrow(/DEV_IDP_REDIRECT_URIS/);
    } finally {
      vi.stubEnv('DEV_IDP_REDIRECT_URIS', '');
    }
  });
});

describe('dev accounts', () => {
  it('keeps the same subject for the same person, whatever the case of the email', () => {
    expect(subjectForEmail('Owner@Acme.test')).toBe(subjectForEmail('owner@acme.test'));
    expect(subjectForEmail('owner@acme.test')).not.toBe(subjectForEmail('admin@acme.test'));
  });

  it('names an unknown user after the local part of the email', () => {
    expect(nameFromEmail('owner-3f9a.qa@e2e.test')).toBe('Owner 3f9a Qa');
  });
});
