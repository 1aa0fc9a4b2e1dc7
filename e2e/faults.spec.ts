import { execFileSync, execSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { agentPush } from './fixtures/agent';
import { signIn } from './fixtures/auth';
import { createTestOrg } from './fixtures/orgs';

/**
 * Faults that really happen: Redis goes away during pushes, Postgres restarts under the web app and the
 * worker. The e2e stack (web, worker) is not restarted; it must recover by itself.
 */
test.describe.configure({ mode: 'serial' });

function redisCli(...args: string[]) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', ...args], { encoding: 'utf8', timeout: 10_000 });
}

function postgresVersion(): string {
  const versions = readdirSync('/etc/postgresql').sort((x, y) => Number(x) - Number(y));
  const version = versions.at(-1);
  if (!version) throw new Error('No local PostgreSQL cluster under /etc/postgresql: this fault test restarts the local server');
  return version;
}

async function latestSnapshotStatus(request: APIRequestContext, slug: string, clusterId: string) {
  const response = await request.get(`/api/v1/orgs/${slug}/clusters/${clusterId}`);
  if (!response.ok()) return `http ${response.status()}`;
  const body = (await response.json()) as { snapshots: { status: string }[] };
  return body.snapshots[0]?.status ?? 'none';
}

test('snapshots pushed while Redis is down are accepted, and evaluated once Redis is back', async ({ page }) => {
  test.setTimeout(150_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'redis-fault' } });
  const { cluster, token } = (await created.json()) as { cluster: { id: string }; token: string };

  redisCli('shutdown', 'nosave');
  try {
    await expect.poll(async () => (await page.request.get('/api/health')).status(), { timeout: 15_000 }).toBe(503);
    // Probes learn ok or not ok; which part failed is in the web log.
    expect(await (await page.request.get('/api/health')).json()).toEqual({ status: 'down' });
    // Pages keep being served.
    expect((await page.request.get(`/o/${org.slug}`)).status()).toBe(200);
    const pushed = await agentPush(token, 'e2e/fixtures/manifests/shop');
    expect(pushed.stdout).toMatch(/"status":\s*"queued"/);
    expect(await latestSnapshotStatus(page.request, org.slug, cluster.id)).toBe('QUEUED');
  } finally {
    execSync('bash scripts/services.sh', { stdio: 'ignore', timeout: 60_000 });
  }
  await expect.poll(async () => (await page.request.get('/api/health')).status(), { timeout: 30_000 }).toBe(200);
  await expect.poll(() => latestSnapshotStatus(page.request, org.slug, cluster.id), { timeout: 90_000, intervals: [1_000] }).toBe('DONE');
});

test('the web app and the worker recover from a Postgres restart without being restarted', async ({ page }) => {
  test.setTimeout(150_000);
  const org = await createTestOrg(['OWNER']);
  await signIn(page, org.users.OWNER);
  const created = await page.request.post(`/api/v1/orgs/${org.slug}/clusters`, { data: { name: 'pg-fault' } });
  const { cluster, token } = (await created.json()) as { cluster: { id: string }; token: string };

  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'restart'], { stdio: 'ignore', timeout: 60_000 });
  await expect.poll(async () => (await page.request.get('/api/health')).status(), { timeout: 30_000 }).toBe(200);
  const pushed = await agentPush(token, 'e2e/fixtures/manifests/shop');
  expect(pushed.stdout).toContain('snapshotId');
  await expect.poll(() => latestSnapshotStatus(page.request, org.slug, cluster.id), { timeout: 90_000, intervals: [1_000] }).toBe('DONE');
});
