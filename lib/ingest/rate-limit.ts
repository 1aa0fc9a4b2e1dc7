import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { env } from '../env';
import { createRedis } from '../queue/connection';

type Limiter = RateLimiterRedis;
const globalForLimits = globalThis as unknown as { bulwarkLimiters?: Map<string, Limiter> };

/**
 * Per-key fixed-window limits kept in Redis, so every web replica shares them. While Redis is down the
 * in-memory insurance limiter takes over: ingest must keep accepting snapshots then, but still bounded.
 */
function limiter(name: string, points: number, durationSeconds: number): Limiter {
  globalForLimits.bulwarkLimiters ??= new Map();
  const key = `${name}:${points}:${durationSeconds}`;
  let found = globalForLimits.bulwarkLimiters.get(key);
  if (!found) {
    found = new RateLimiterRedis({
      storeClient: createRedis('producer'),
      keyPrefix: `${env().REDIS_PREFIX}:rl:${name}`,
      points,
      duration: durationSeconds,
      useRedisPackage: false,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    });
    globalForLimits.bulwarkLimiters.set(key, found);
  }
  return found;
}

export async function consumeRateLimit(name: 'ingest' | 'signin' | 'api', key: string, points: number, durationSeconds = 60): Promise<void> {
  try {
    await limiter(name, points, durationSeconds).consume(key);
  } catch (result) {
    if (result instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new AppError('rate_limited', `Too many requests; retry in ${retryAfter}s`, [], { 'Retry-After': String(retryAfter) });
    }
    throw result;
  }
}
