import { Redis, type RedisOptions } from 'ioredis';
import { env } from '../env';

/**
 * Producers fail fast (an upload must get a clear answer, not hang while Redis is down); worker connections
 * wait and reconnect (BullMQ requires maxRetriesPerRequest: null for them).
 */
export function createRedis(kind: 'producer' | 'worker' | 'events', overrides: RedisOptions = {}): Redis {
  const common: RedisOptions = { lazyConnect: false, connectTimeout: 2_000 };
  const options: RedisOptions =
    kind === 'producer'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 200, 2_000) }
      : { ...common, maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2_000) };
  const redis = new Redis(env().REDIS_URL, { ...options, ...overrides });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
  redis.on('error', () => {});
  return redis;
}

export function queuePrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

/** Waits until a fail-fast connection is ready, or throws after `timeoutMs`. */
export async function ensureReady(redis: Redis, timeoutMs = 1_500): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { cleanup(); reject(new Error('Redis is not reachable')); }, timeoutMs);
    const onReady = () => { cleanup(); resolve(); };
    const cleanup = () => { clearTimeout(timer); redis.off('ready', onReady); };
    redis.once('ready', onReady);
  });
}
