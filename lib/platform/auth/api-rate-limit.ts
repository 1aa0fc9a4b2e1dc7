import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors';
import { env } from '../env';
import { createRedis } from '../queue/connection';

type Scope = 'token' | 'org';
type Limiter = { limiter: RateLimiterRedis; firstContact: Promise<void> };
const globalForLimits = globalThis as unknown as { bulwarkApiLimiters?: Map<string, Limiter> };

/**
 * Fixed one-minute windows kept in Redis, so every web replica counts the same requests. While Redis is down an
 * in-memory limiter per process takes over: reads keep working, still bounded.
 */
async function limiter(scope: Scope, points: number): Promise<RateLimiterRedis> {
  globalForLimits.bulwarkApiLimiters ??= new Map();
  const key = `${env().REDIS_URL} ${env().REDIS_PREFIX}:${scope}:${points}`;
  let found = globalForLimits.bulwarkApiLimiters.get(key);
  if (!found) {
    const redis = createRedis('producer');
    // The connection fails fast (no offline queue): a request made before it is up would be counted by the
    // in-memory limiter instead, splitting the count. So the first requests wait for the first answer from
    // Redis (at most a second); later ones, Redis up or down, do not wait.
    const firstContact = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      const done = () => { clearTimeout(timer); resolve(); };
      redis.once('ready', done);
      redis.once('error', done);
    });
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${env().REDIS_PREFIX}:rl:api-${scope}`,
      points,
      duration: 60,
      useRedisPackage: false,
      insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    });
    found = { limiter, firstContact };
    globalForLimits.bulwarkApiLimiters.set(key, found);
  }
  await found.firstContact;
  return found.limiter;
}

async function consume(scope: Scope, key: string, points: number, what: string): Promise<void> {
  try {
    await (await limiter(scope, points)).consume(key);
  } catch (result) {
    if (!(result instanceof RateLimiterRes)) throw result;
    const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
    throw new AppError('rate_limited', `Too many API requests ${what} (at most ${points} a minute); retry in ${retryAfter}s`, [], { 'Retry-After': String(retryAfter) });
  }
}

/**
 * Counts one API-token request against the token's limit, then the organization's: an organization may mint
 * many tokens, so the organization's limit is what keeps one tenant's integrations from crowding out the rest.
 * Throws `rate_limited` (429 with Retry-After) when either is spent.
 */
export async function consumeApiRequest(organizationId: string, tokenId: string): Promise<void> {
  const limits = env();
  await consume('token', tokenId, limits.API_RATE_LIMIT_PER_MINUTE, 'with this token');
  await consume('org', organizationId, limits.API_ORG_RATE_LIMIT_PER_MINUTE, 'for this organization');
}
