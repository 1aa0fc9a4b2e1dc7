import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from './errors';
import { env } from './env';
import { createRedis, ensureReady } from './queue/connection';

// `ready`: the first consume waits for the new connection (the producer connection fails fast instead of
// queueing), or the first requests would be counted by the in-memory insurance limiter and not in Redis.
type Limiter = { limiter: RateLimiterRedis; ready: Promise<void> };
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
    const storeClient = createRedis('producer');
    const limiter = new RateLimiterRedis({
      storeClient,
      keyPrefix: `${env().REDIS_PREFIX}:rl:${name}`,
      points,
      duration: durationSeconds,
      useRedisPackage: false,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds }),
    });
    found = { limiter, ready: ensureReady(storeClient).catch(() => {}) };
    globalForLimits.bulwarkLimiters.set(key, found);
  }
  return found;
}

export async function consumeRateLimit(name: 'ingest' | 'ingest-org' | 'signin' | 'signin-audit' | 'api' | 'verify' | 'verify-all', key: string, points: number, durationSeconds = 60): Promise<void> {
  try {
    const { limiter: found, ready } = limiter(name, points, durationSeconds);
    await ready;
    await found.consume(key);
  } catch (result) {
    if (result instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new AppError('rate_limited', `Too many requests; retry in ${retryAfter}s`, [], { 'Retry-After': String(retryAfter) });
    }
    throw result;
  }
}
