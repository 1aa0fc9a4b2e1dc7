import { pingDatabase } from './db/health-sql';
import { createRedis, ensureReady } from './queue/connection';
import type { Redis } from 'ioredis';

export type HealthStatus = { db: 'ok' | 'down'; redis: 'ok' | 'down' };

let healthRedis: Redis | undefined;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks both services with short timeouts, so a dead dependency gives a quick 503 instead of a hung probe. */
export async function checkHealth(): Promise<HealthStatus> {
  healthRedis ??= createRedis('producer');
  const redis = healthRedis;
  const [db, cache] = await Promise.allSettled([
    withTimeout(pingDatabase(), 2_000),
    withTimeout(ensureReady(redis, 1_500).then(() => redis.ping()), 2_000),
  ]);
  return { db: db.status === 'fulfilled' ? 'ok' : 'down', redis: cache.status === 'fulfilled' ? 'ok' : 'down' };
}
