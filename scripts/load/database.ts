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

/** Postgres backend pids connected to the load database (to attribute database CPU time to this run). */
export async function listLoadBackendPids(serverUrl: string): Promise<number[]> {
  return onMaintenanceDb(serverUrl, async (client) => {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [LOAD_DATABASE]);
    return rows.map((row) => row.pid);
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
