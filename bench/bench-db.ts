/**
 * The benchmark's own database and Redis key prefix, so a bench run never touches the development data or
 * another run's queues. Created and migrated at the start, dropped at the end unless --keep.
 */
import { Redis } from 'ioredis';
import { migrate } from '../lib/platform/db/migrate';
import { dropDatabase, ensureDatabase } from './bench-sql';
import { progress } from './stats';

export const BENCH_DATABASE = 'bulwark_bench';
export const BENCH_REDIS_PREFIX = 'bulwark-bench';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function benchDatabaseUrl(): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

/** What every child that touches the database gets, before any lib module reads the environment. */
export function benchEnv(): Record<string, string> {
  return {
    DATABASE_URL: benchDatabaseUrl(),
    REDIS_URL,
    REDIS_PREFIX: BENCH_REDIS_PREFIX,
    LOG_LEVEL: 'warn',
    // The bench pushes far more often than an agent; the intake limit is not what is measured.
    INGEST_RATE_LIMIT_PER_MINUTE: '1000000',
  };
}

/** Creates (or reuses) and migrates the bench database, and seeds the control catalog. */
export async function prepareBenchDatabase(fresh: boolean): Promise<void> {
  const created = await ensureDatabase(SERVER_URL, BENCH_DATABASE, fresh);
  progress(`${created ? 'created' : 'reusing'} database ${BENCH_DATABASE}`);
  const { applied } = await migrate(benchDatabaseUrl());
  if (applied.length) progress(`migrated: ${applied.join(', ')}`);
  // lib/env reads DATABASE_URL once, on first use: set it before the catalog seeder loads.
  Object.assign(process.env, benchEnv());
  const { seedCatalog } = await import('../lib/services/catalog/seed-catalog');
  const { disconnectDb } = await import('../lib/platform/db/client');
  const catalog = await seedCatalog();
  await disconnectDb();
  progress(`catalog: ${catalog.controls} controls, ${catalog.requirements} requirements`);
}

/** Drops the bench database and deletes the bench's Redis keys (queues, rate limits), and nothing else. */
export async function cleanUpBench(): Promise<void> {
  await dropDatabase(SERVER_URL, BENCH_DATABASE);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${BENCH_REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    progress(`dropped ${BENCH_DATABASE}; deleted ${deleted} Redis keys under ${BENCH_REDIS_PREFIX}:`);
  } finally {
    redis.disconnect();
  }
}
