/**
 * Server response times over HTTP: `next start` against the bench database, the dashboard and findings pages
 * with a next-auth session cookie minted for the organization's owner (the app signs sessions with the
 * NEXTAUTH_SECRET we start it with), and the findings API with an organization API token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { encode } from 'next-auth/jwt';
import { createApiToken } from '@/lib/services/orgs/api-tokens';
import { machineSigningCredentials } from '@/lib/services/reports/signing-credentials';
import type { ReadPathOrg } from './bench-sql';
import { OUT_DIR, ROOT } from './paths';
import { progress, summarize, type Summary } from './stats';

const PORT = Number(process.env.BENCH_PORT ?? 3200);
const BASE = `http://127.0.0.1:${PORT}`;
// Only ever signs cookies for this throwaway server and database.
const SECRET = 'bulwark-bench-secret-not-for-production';

export type HttpTiming = { name: string; ms: Summary; status: number; bytes: number };
export type PageTimings = { skipped: string | null; appDir: string; timings: HttpTiming[] };

function appDir(): string {
  return process.env.BENCH_APP_DIR ?? ROOT;
}

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function waitForHealth(server: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode} (see bench/out/next-start.log)`);
    try {
      const response = await fetch(`${BASE}/api/health`);
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`next start did not answer /api/health within ${timeoutMs / 1000} s`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || !server.pid) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  process.kill(-server.pid, 'SIGTERM'); // the process group we started: next start and anything it forked
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
}

async function timeGet(name: string, url: string, headers: Record<string, string>, iterations: number, expect: (body: string) => boolean): Promise<HttpTiming> {
  const once = async () => {
    const start = performance.now();
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    return { ms: performance.now() - start, status: response.status, body };
  };
  const first = await once();
  if (first.status !== 200 || !expect(first.body)) {
    throw new Error(`${name}: GET ${url} answered ${first.status} ${first.body.slice(0, 200).replace(/\s+/g, ' ')}`);
  }
  for (let i = 0; i < 4; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push((await once()).ms);
  const timing = { name, ms: summarize(samples), status: first.status, bytes: Buffer.byteLength(first.body) };
  progress(`${name}: p50 ${timing.ms.p50.toFixed(1)} ms, p95 ${timing.ms.p95.toFixed(1)} ms`);
  return timing;
}

export async function measurePages({ org, iterations }: { org: ReadPathOrg; iterations: number }): Promise<PageTimings> {
  const dir = appDir();
  if (!existsSync(path.join(dir, '.next/BUILD_ID'))) {
    progress(`no production build in ${dir}/.next: running next build`);
    const code = await run(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], dir, { ...process.env, NODE_ENV: 'production' });
    if (code !== 0) return { skipped: `next build failed (exit ${code})`, appDir: dir, timings: [] };
  }
  const ctx = { organizationId: org.id, organizationSlug: org.slug, actor: { kind: 'system' as const, reason: 'bench' } };
  const { token } = await createApiToken(ctx, { name: 'bench', role: 'VIEWER' });
  const cookie = await encode({ token: { sub: org.ownerUserId, userId: org.ownerUserId, email: org.ownerEmail, name: null }, secret: SECRET });

  const log = createWriteStream(path.join(OUT_DIR, 'next-start.log'));
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(PORT), '-H', '127.0.0.1'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Production refuses the dev IdP's client and missing keys (lib/platform/env.ts); the bench signs in without an IdP.
    env: {
      ...process.env, NODE_ENV: 'production', NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: BASE, APP_URL: BASE, LOG_LEVEL: 'warn',
      OIDC_CLIENT_ID: 'bulwark-bench', OIDC_CLIENT_SECRET: 'bench-only-client-secret', BULWARK_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      AUDIT_SIGNING_KEY: 'bench-only-audit-signing-key-0123456789abcdef',
      // Production requires a report signing key: one made on this machine, never published.
      REPORT_SIGNING_KEY: machineSigningCredentials('demo').keyPem, REPORT_SIGNING_CERT: machineSigningCredentials('demo').certPem,
    },
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  try {
    await waitForHealth(server, 120_000);
    const session = { cookie: `next-auth.session-token=${cookie}` };
    const api = { authorization: `Bearer ${token}` };
    const timings: HttpTiming[] = [];
    const html = (body: string) => body.includes('</html>');
    timings.push(await timeGet('dashboard page /o/[org]', `${BASE}/o/${org.slug}`, session, iterations, (body) => html(body) && body.includes('open findings')));
    timings.push(await timeGet('findings page /o/[org]/findings', `${BASE}/o/${org.slug}/findings`, session, iterations, html));
    timings.push(await timeGet('findings API, page 1', `${BASE}/api/v1/orgs/${org.slug}/findings?limit=50`, api, iterations, (body) => body.includes('"items"')));
    timings.push(await timeGet('findings API, status OPEN + severity HIGH', `${BASE}/api/v1/orgs/${org.slug}/findings?status=OPEN&severity=HIGH&limit=50`, api, iterations, (body) => body.includes('"items"')));
    return { skipped: null, appDir: dir, timings };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`HTTP measurements skipped: ${message}`);
    return { skipped: message, appDir: dir, timings: [] };
  } finally {
    await stopServer(server);
    log.end();
  }
}
