/**
 * The load test's own database and Redis key prefix: created fresh for each run, dropped (and the keys
 * deleted) at the end unless --keep, so a run never touches development data or another run's queues.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

export const LOAD_DATABASE = 'bulwark_load';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The load test only talks to services on this machine. */
export function assertLocal(url: string, what: string): void {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) throw new Error(`${what} must point at 127.0.0.1 or localhost for a load test, not "${host}"`);
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onMaintenanceDb<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// LOAD_DATABASE is a constant identifier, so it can be spliced into DDL (which takes no parameters).
export async function recreateLoadDatabase(serverUrl: string): Promise<void> {
  await onMaintenanceDb(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${LOAD_DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${LOAD_DATABASE}"`);
  });
}

export async function dropLoadDatabase(serverUrl: string): Promise<void> {
  await onMaintenanceDb(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${LOAD_DATABASE}" WITH (FORCE)`));
}

export type BackendSample = { pid: number; activity: string };

/**
 * The backends connected to the load database (to attribute database CPU time to this run), each with what it
 * is doing: "idle", "active" (on CPU or I/O), or "active, waiting on Lock:transactionid" and the like.
 */
export async function sampleLoadBackends(serverUrl: string): Promise<BackendSample[]> {
  return onMaintenanceDb(serverUrl, async (client) => {
    const { rows } = await client.query<{ pid: number; state: string | null; wait_event_type: string | null; wait_event: string | null }>(
      'SELECT pid, state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [LOAD_DATABASE],
    );
    return rows.map((row) => ({
      pid: row.pid,
      activity: row.state === 'active' && row.wait_event_type ? `active, waiting on ${row.wait_event_type}:${row.wait_event ?? ''}` : (row.state ?? 'unknown'),
    }));
  });
}

/** Deletes every key under `<prefix>:` (queues, rate limits) and nothing else. Returns how many. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/**
 * When Postgres and Redis last started (epoch ms; null when unreachable). On a shared machine someone else may
 * restart them mid-run; comparing readings from before and after the run tells a result from an outage.
 */
export async function serviceStartTimes(serverUrl: string, redisUrl: string): Promise<{ postgres: number | null; redis: number | null }> {
  const postgres = await onMaintenanceDb(serverUrl, async (client) => {
    const { rows } = await client.query<{ started: Date }>('SELECT pg_postmaster_start_time() AS started');
    return rows[0]?.started.getTime() ?? null;
  }).catch(() => null);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const uptime = /uptime_in_seconds:(\d+)/.exec(await redis.info('server'))?.[1];
    return { postgres, redis: uptime === undefined ? null : Date.now() - Number(uptime) * 1000 };
  } catch {
    return { postgres, redis: null };
  } finally {
    redis.disconnect();
  }
}
