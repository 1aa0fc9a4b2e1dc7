// A real OpenID Connect provider for development, the demo and e2e tests: `npm run idp`, or startDevIdp() in-process.
// It is oidc-provider with our own login page in place of devInteractions; accounts are in dev-idp-users.ts.
import { generateKeyPairSync } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import Provider, { errors, type Account, type Configuration, type Interaction } from 'oidc-provider';
import { z } from 'zod';
import { parseArgs } from 'node:util';
import { authenticateDevUser, DEV_PASSWORD, DEV_USER_SETS, subjectForEmail, type DevUser, type DevUserSet } from './dev-idp-users';
import { renderLoginPage, renderLogoutPage, renderMessagePage } from './dev-idp-views';

const DEFAULT_REDIRECT_URI = 'http://localhost:3000/api/auth/callback/oidc';
const DEV_COOKIE_KEY = 'bulwark-dev-idp-cookie-key-not-a-secret';
const GRANTED_SCOPE = 'openid email profile groups';
const GRANTED_CLAIMS = ['email', 'email_verified', 'name', 'groups'];
const MAX_FORM_BYTES = 16 * 1024;
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)$/;

const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const listOf = (item: z.ZodType<string, string>) => z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part.length > 0))
  .pipe(z.array(item));

export const DevIdpEnvSchema = z.object({
  DEV_IDP_PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(4010)),
  /** 127.0.0.1 by default; docker-compose sets 0.0.0.0 so the browser on the host can reach it. */
  DEV_IDP_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  DEV_IDP_CLIENT_ID: z.preprocess(unsetIfEmpty, z.string().default('bulwark-dev')),
  DEV_IDP_CLIENT_SECRET: z.preprocess(unsetIfEmpty, z.string().default('bulwark-dev-secret')),
  DEV_IDP_REDIRECT_URIS: z.preprocess(unsetIfEmpty, listOf(z.url({ protocol: /^https?$/ })).default([])),
  DEV_IDP_COOKIE_KEYS: z.preprocess(unsetIfEmpty, listOf(z.string().min(16)).pipe(z.array(z.string()).min(1))
    .default([DEV_COOKIE_KEY])),
  /** Which accounts this process serves: `platform` (the platform IdP) or `acme` (Acme's own IdP). */
  DEV_IDP_USERS: z.preprocess(unsetIfEmpty, z.enum(Object.keys(DEV_USER_SETS) as [DevUserSet, ...DevUserSet[]]).default('platform')),
});
export type DevIdpEnv = z.infer<typeof DevIdpEnvSchema>;

type AccountDirectory = Map<string, DevUser>;
type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export type StartDevIdpOptions = { port?: number; redirectUris?: string[]; users?: DevUserSet };
export type DevIdp = { issuer: string; users: DevUserSet; close(): Promise<void> };

/** Starts the IdP on 127.0.0.1 (port 0 picks a free one). Reads DEV_IDP_* from the environment; `opts` win. */
export async function startDevIdp(opts: StartDevIdpOptions = {}): Promise<DevIdp> {
  const parsed = DevIdpEnvSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(`dev IdP: invalid environment\n${z.prettifyError(parsed.error)}`);
  const env = parsed.data;

  let handle: RequestHandler = async (_req, res) => {
    sendHtml(res, 503, renderMessagePage('Starting', 'The development IdP is still starting.'));
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? env.DEV_IDP_PORT, env.DEV_IDP_HOST, () => resolve());
  });

  // The issuer needs the real port, which port 0 only reveals after listen().
  const { port } = server.address() as AddressInfo;
  const issuer = `http://localhost:${port}`;
  const userSet = opts.users ?? env.DEV_IDP_USERS;
  const users: readonly DevUser[] = DEV_USER_SETS[userSet];
  const redirectUris = [...new Set([DEFAULT_REDIRECT_URI, ...env.DEV_IDP_REDIRECT_URIS, ...(opts.redirectUris ?? [])])];
  const close = () => new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
  try {
    // Subject → account. The named demo users are known up front; any other .test address is added when it
    // signs in and, like the sessions and codes in oidc-provider's memory store, lasts as long as this process.
    const accounts: AccountDirectory = new Map(users.map((user) => [subjectForEmail(user.email), user]));
    const provider = new Provider(issuer, buildConfiguration(env, redirectUris, accounts, userSet));
    provider.on('server_error', (_ctx, error) => console.error('dev IdP: server error', error));
    handle = createRequestHandler(provider, accounts, users);
  } catch (error) {
    await close();
    throw error;
  }
  return { issuer, users: userSet, close };
}

function buildConfiguration(env: DevIdpEnv, redirectUris: string[], accounts: AccountDirectory, userSet: DevUserSet): Configuration {
  // Two dev IdPs on one host (the platform's and Acme's) would share cookies across ports: names of their own.
  const cookiePrefix = userSet === 'platform' ? 'idp' : `idp_${userSet}`;
  return {
    clients: [{
      client_id: env.DEV_IDP_CLIENT_ID,
      client_secret: env.DEV_IDP_CLIENT_SECRET,
      client_name: 'Bulwark',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // oidc-provider accepts client_secret_post as well for a client registered with client_secret_basic.
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    responseTypes: ['code'],
    pkce: { required: () => true }, // oidc-provider 9 implements S256 only
    scopes: ['openid'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    // next-auth v4 reads the profile from the ID token; conforming claims would leave only `sub` in it.
    conformIdTokenClaims: false,
    // A fresh signing key per process: the well-known development keys that oidc-provider falls back to are
    // public, and anything signed by the previous process is worthless anyway once its memory store is gone.
    jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
    // The app runs on the same host (another port) and browsers share cookies across ports: keep the names apart.
    cookies: {
      names: { session: `${cookiePrefix}_session`, interaction: `${cookiePrefix}_interaction`, resume: `${cookiePrefix}_resume` },
      keys: env.DEV_IDP_COOKIE_KEYS,
    },
    ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 14 * 86400, Grant: 14 * 86400 },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => { ctx.type = 'html'; ctx.body = renderLogoutPage(form); },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = renderMessagePage('Signed out', 'You are signed out of the development identity provider.');
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = accounts.get(sub);
      return user ? toAccount(sub, user) : undefined;
    },
    // The only client is Bulwark itself (no dynamic registration), so signing in grants it every scope and
    // claim it can ask for and nobody sees a consent page.
    loadExistingGrant: async (ctx) => {
      const { client, session, result, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      grant.addOIDCScope(GRANTED_SCOPE);
      grant.addOIDCClaims(GRANTED_CLAIMS);
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderMessagePage('Sign-in error', out.error_description ? `${out.error}: ${out.error_description}` : out.error);
    },
  };
}

function toAccount(sub: string, user: DevUser): Account {
  return {
    accountId: sub,
    claims: () => ({ sub, email: user.email, email_verified: user.emailVerified ?? true, name: user.name, groups: [...user.groups] }),
  };
}

// oidc-provider serves every protocol endpoint; only the login page at /interaction/<uid> is ours.
function createRequestHandler(provider: Provider, accounts: AccountDirectory, users: readonly DevUser[]): RequestHandler {
  const callback = provider.callback();

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const uid = INTERACTION_PATH.exec(new URL(req.url ?? '/', provider.issuer).pathname)?.[1];
    if (!uid) return callback(req, res);
    try {
      const interaction = await provider.interactionDetails(req, res);
      // The interaction cookie names the pending request; a page for another uid is a stale tab or a forged link.
      if (interaction.uid !== uid) throw new errors.SessionNotFound('interaction uid mismatch');
      if (req.method === 'GET') return await showInteraction(req, res, interaction);
      if (req.method === 'POST' && interaction.prompt.name === 'login') return await submitLogin(req, res, interaction);
      sendHtml(res, 405, renderMessagePage('Not allowed', 'This page only shows the sign-in form.'));
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        sendHtml(res, 400, renderMessagePage('Sign-in expired', 'This sign-in request has expired or was already '
          + 'used. Go back to Bulwark and sign in again.'));
      } else if (error instanceof FormTooLargeError) {
        sendHtml(res, 413, renderMessagePage('Too large', 'The sign-in form was too large.'));
      } else {
        console.error('dev IdP: interaction failed', error);
        if (!res.headersSent) sendHtml(res, 500, renderMessagePage('Error', 'The development IdP failed; see its log.'));
      }
    }
  };

  async function showInteraction(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    if (interaction.prompt.name === 'login') {
      const hint = interaction.params.login_hint;
      sendHtml(res, 200, loginPage(interaction, typeof hint === 'string' ? hint : '', null, users));
      return;
    }
    if (interaction.prompt.name === 'consent') return grantConsent(req, res, interaction);
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: `the dev IdP cannot handle the "${interaction.prompt.name}" prompt`,
    }, { mergeWithLastSubmission: false });
  }

  async function submitLogin(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const form = await readForm(req);
    const email = form.get('email') ?? '';
    const user = authenticateDevUser(email, form.get('password') ?? '', users);
    if (!user) {
      sendHtml(res, 200, loginPage(interaction, email, 'Wrong email or password', users));
      return;
    }
    const sub = subjectForEmail(user.email);
    accounts.set(sub, user);
    await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
  }

  // loadExistingGrant normally makes this unreachable; it covers a request for more than the standing grant
  // (e.g. a claims parameter), which the first-party client gets without asking too.
  async function grantConsent(req: IncomingMessage, res: ServerResponse, interaction: Interaction): Promise<void> {
    const accountId = interaction.session?.accountId;
    const clientId = interaction.params.client_id;
    if (!accountId || typeof clientId !== 'string') throw new errors.SessionNotFound('consent without a session');
    const grant = (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined)
      ?? new provider.Grant({ accountId, clientId });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = interaction.prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
}

function loginPage(interaction: Interaction, email: string, error: string | null, users: readonly DevUser[]): string {
  return renderLoginPage({ action: `/interaction/${interaction.uid}`, email, error, users, password: DEV_PASSWORD });
}

class FormTooLargeError extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLargeError();
    chunks.push(buffer);
  }
  const type = req.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    : new URLSearchParams();
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // No form-action: Chromium applies it to the redirects after the POST, which leave this origin for the app.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(html);
}

// Run as a script (`npm run idp`), not when imported by a test or e2e setup. Compare real paths: tsx and
// symlinked checkouts can spell the same file differently.
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  let idp: DevIdp;
  try {
    // `npm run idp -- --port 4011 --users acme` starts Acme's own IdP beside the platform one (env: DEV_IDP_PORT, DEV_IDP_USERS).
    const { values } = parseArgs({ options: { port: { type: 'string' }, users: { type: 'string' } } });
    const users = values.users === undefined ? undefined : DevIdpEnvSchema.shape.DEV_IDP_USERS.parse(values.users);
    idp = await startDevIdp({ ...(values.port ? { port: Number(values.port) } : {}), ...(users ? { users } : {}) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(`dev OIDC provider listening on ${idp.issuer} (${idp.users} accounts)`);
  const stop = (signal: NodeJS.Signals) => {
    idp.close().then(() => process.exit(0), (error: unknown) => {
      console.error(`dev IdP: failed to close on ${signal}`, error);
      process.exit(1);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (isEntryPoint()) void main();
