/**
 * Simulated people: each signed-in member loops over the dashboard, the findings list (page and API) and one
 * finding, with a pause between views. The session cookie is the one next-auth would set after an OIDC
 * sign-in: a JWT encrypted with NEXTAUTH_SECRET carrying `userId`, the identity it came from and the user's
 * session version (what lib/web/auth.ts's session callback reads and checks per request), minted here so the load needs no identity provider.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { encode } from 'next-auth/jwt';
import type { LoadUser } from './fixture';
import type { Recorder } from './recorder';

export const USER_ROUTES = {
  dashboard: 'GET /o/[org]',
  findingsPage: 'GET /o/[org]/findings',
  findingsApi: 'GET /api/v1/orgs/[org]/findings?limit=50',
  findingPage: 'GET /o/[org]/findings/[id]',
} as const;
/** A trivial route (SELECT 1 and a Redis PING): its latency is the web process's queueing floor. */
export const PROBE_ROUTE = 'GET /api/health (probe, 1/s)';

// Over http next-auth uses the unprefixed cookie name (`__Secure-` only with an https NEXTAUTH_URL).
const SESSION_COOKIE = 'next-auth.session-token';

export async function sessionCookie(user: LoadUser, secret: string): Promise<string> {
  const jwt = await encode({ token: { sub: user.id, userId: user.id, identityId: user.identityId, sessionVersion: 0, connectionId: null, email: user.email, name: user.name }, secret, maxAge: 12 * 3600 });
  return `${SESSION_COOKIE}=${jwt}`;
}

type UserLoopOptions = { baseUrl: string; slug: string; cookie: string; thinkMs: number; deadline: number; signal: AbortSignal; recorder: Recorder };

type Answer = { ok: boolean; body: string };

async function get(route: string, url: string, options: UserLoopOptions): Promise<Answer> {
  const started = performance.now();
  try {
    // redirect: manual, so a bounce to /sign-in shows up as the 307 it is instead of a 200 sign-in page.
    const response = await fetch(url, {
      headers: { cookie: options.cookie, accept: route.includes('/api/') ? 'application/json' : 'text/html' },
      redirect: 'manual',
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(60_000)]),
    });
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status >= 200 && response.status < 300) {
      options.recorder.ok(route, ms);
      return { ok: true, body };
    }
    options.recorder.fail(route, response.status, `${response.headers.get('location') ?? ''} ${body}`);
  } catch (error) {
    if (!options.signal.aborted) options.recorder.fail(route, 0, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  return { ok: false, body: '' };
}

function findingIds(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { items?: { id?: unknown }[] };
    return (parsed.items ?? []).map((item) => item.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

export async function runUser(options: UserLoopOptions): Promise<void> {
  const think = async () => {
    const ms = Math.min(options.thinkMs * (0.5 + Math.random()), options.deadline - Date.now());
    if (ms > 0) await sleep(ms, undefined, { signal: options.signal }).catch(() => {});
  };
  const active = () => !options.signal.aborted && Date.now() < options.deadline;
  const base = `${options.baseUrl}/o/${options.slug}`;
  await think(); // users do not all arrive in the same millisecond
  while (active()) {
    await get(USER_ROUTES.dashboard, base, options);
    await think();
    if (!active()) return;
    await get(USER_ROUTES.findingsPage, `${base}/findings`, options);
    await think();
    if (!active()) return;
    const list = await get(USER_ROUTES.findingsApi, `${options.baseUrl}/api/v1/orgs/${options.slug}/findings?limit=50`, options);
    await think();
    // Until the first evaluation lands there is no finding to open.
    const ids = list.ok ? findingIds(list.body) : [];
    const id = ids[Math.floor(Math.random() * ids.length)];
    if (!active() || id === undefined) continue;
    await get(USER_ROUTES.findingPage, `${base}/findings/${id}`, options);
    await think();
  }
}

/** Hits /api/health once a second: when even this is slow, requests wait for CPU, not for their own work. */
export async function runHealthProbe(options: Pick<UserLoopOptions, 'baseUrl' | 'deadline' | 'signal' | 'recorder'>): Promise<void> {
  const probe = { ...options, slug: '', cookie: '', thinkMs: 0 };
  while (!options.signal.aborted && Date.now() < options.deadline) {
    const started = Date.now();
    await get(PROBE_ROUTE, `${options.baseUrl}/api/health`, probe);
    const wait = Math.min(started + 1_000, options.deadline) - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => {});
  }
}
