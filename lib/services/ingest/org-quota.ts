import type { Redis } from 'ioredis';
import { Semaphore } from 'redis-semaphore';
import { AppError } from '../../platform/errors';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';
import { createRedis, ensureReady } from '../../platform/queue/connection';
import { bearerToken, hashToken } from '../../platform/auth/tokens';
import { resolveAgentToken } from '../../platform/auth/agent-token-context';
import { consumeRateLimit } from '@/lib/platform/rate-limit';

const log = logger.child({ component: 'ingest-quota' });

/*
 * Per-organization ingest quotas, on top of the per-token limit: an org admin can mint as many agent tokens as
 * they like (one per cluster), so a token limit alone does not bound what one tenant sends. Both live in Redis,
 * so every web replica shares them.
 */

/** How long a slot survives a web process that died holding it; a live intake refreshes its slot. */
const SLOT_LEASE_MS = 120_000;
/** A client told to wait for a slot retries after this: intakes take milliseconds to seconds. */
const SLOT_RETRY_AFTER_SECONDS = 2;

const globalForQuota = globalThis as unknown as { bulwarkQuota?: { redis: Redis; ready: Promise<void> }; bulwarkLocalSlots?: Map<string, number> };

/** The slots' connection; the first intake waits for it once (it fails fast instead of queueing commands). */
function quotaRedis(): { redis: Redis; ready: Promise<void> } {
  if (!globalForQuota.bulwarkQuota) {
    const redis = createRedis('producer');
    globalForQuota.bulwarkQuota = { redis, ready: ensureReady(redis).catch(() => {}) };
  }
  return globalForQuota.bulwarkQuota;
}

/** 429 with Retry-After when the organization has sent more than INGEST_ORG_RATE_LIMIT_PER_MINUTE pushes this minute. */
export async function consumeOrgIngestRate(organizationId: string): Promise<void> {
  try {
    await consumeRateLimit('ingest-org', organizationId, env().INGEST_ORG_RATE_LIMIT_PER_MINUTE);
  } catch (error) {
    if (error instanceof AppError && error.code === 'rate_limited') {
      throw new AppError('rate_limited', `Your organization sent more than ${env().INGEST_ORG_RATE_LIMIT_PER_MINUTE} snapshots this minute (across all its agent tokens); ${error.message.toLowerCase()}`, [], error.headers);
    }
    throw error;
  }
}

function refuseSlot(): never {
  throw new AppError('rate_limited', `Your organization already has ${env().INGEST_ORG_MAX_CONCURRENT} snapshot uploads in progress; retry in ${SLOT_RETRY_AFTER_SECONDS}s`, [], { 'Retry-After': String(SLOT_RETRY_AFTER_SECONDS) });
}

/**
 * Runs one intake inside one of the organization's INGEST_ORG_MAX_CONCURRENT slots (a Redis semaphore), or
 * answers 429 at once when all are taken. While Redis is down the cap is kept per process: ingest goes on.
 */
export async function withOrgIntakeSlot<T>(organizationId: string, intake: () => Promise<T>): Promise<T> {
  const limit = env().INGEST_ORG_MAX_CONCURRENT;
  const { redis, ready } = quotaRedis();
  await ready;
  const slot = new Semaphore(redis, `${env().REDIS_PREFIX}:ingest-slots:${organizationId}`, limit, {
    lockTimeout: SLOT_LEASE_MS,
    refreshInterval: SLOT_LEASE_MS / 4,
    // A lost slot (Redis restarted, a stalled process) must not crash the web server: the intake just finishes.
    onLockLost: () => log.warn({ organizationId }, 'ingest slot lost while the upload was in progress'),
  });
  let acquired: boolean;
  try {
    acquired = await slot.tryAcquire();
  } catch (error) {
    log.warn({ organizationId, err: (error as Error).message }, 'Redis unavailable for ingest slots; capping per process');
    return withLocalSlot(organizationId, limit, intake);
  }
  if (!acquired) refuseSlot();
  try {
    return await intake();
  } finally {
    await slot.release().catch((error: unknown) => log.warn({ organizationId, err: String(error) }, 'could not release ingest slot; its lease expires'));
  }
}

async function withLocalSlot<T>(organizationId: string, limit: number, intake: () => Promise<T>): Promise<T> {
  const slots = (globalForQuota.bulwarkLocalSlots ??= new Map());
  const taken = slots.get(organizationId) ?? 0;
  if (taken >= limit) refuseSlot();
  slots.set(organizationId, taken + 1);
  try {
    return await intake();
  } finally {
    const left = (slots.get(organizationId) ?? 1) - 1;
    if (left > 0) slots.set(organizationId, left);
    else slots.delete(organizationId);
  }
}

type AgentContext = Awaited<ReturnType<typeof resolveAgentToken>>;

/** Which organization a token resolved to, for quota checks only (never for authorization): a token never moves. */
const MAX_REMEMBERED_TOKENS = 10_000;
const globalForTokens = globalThis as unknown as { bulwarkTokenOrganizations?: Map<string, string> };

function rememberedOrganization(tokenKey: string): string | undefined {
  return globalForTokens.bulwarkTokenOrganizations?.get(tokenKey);
}

function rememberOrganization(tokenKey: string, organizationId: string): void {
  const remembered = (globalForTokens.bulwarkTokenOrganizations ??= new Map());
  if (remembered.has(tokenKey)) return;
  if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value as string);
  remembered.set(tokenKey, organizationId);
}

/**
 * Admits one agent upload: the token's rate, its organization's rate and an upload slot, then the intake. The
 * quotas are answered before the database wherever possible (the token's limit is keyed by its hash, and a token
 * seen before is known to belong to its organization), because a throttled tenant's burst that looked up its tokens
 * first took the web process's database connections from everyone (bench/LOAD.md, the noisy-neighbour run). The
 * token itself is always checked against the database before any work is done for it.
 */
export async function admitAgentIntake<T>(authorization: string | null, intake: (ctx: AgentContext) => Promise<T>): Promise<T> {
  const token = bearerToken(authorization);
  const tokenKey = token ? hashToken(token) : null;
  if (tokenKey) await consumeRateLimit('ingest', tokenKey, env().INGEST_RATE_LIMIT_PER_MINUTE);
  const known = tokenKey ? rememberedOrganization(tokenKey) : undefined;
  let ctx: AgentContext | null = known ? null : await resolveAgentToken(authorization);
  const organizationId = known ?? (ctx as AgentContext).organizationId;
  await consumeOrgIngestRate(organizationId);
  return withOrgIntakeSlot(organizationId, async () => {
    const agent = ctx ?? (ctx = await resolveAgentToken(authorization));
    if (tokenKey) rememberOrganization(tokenKey, agent.organizationId);
    return intake(agent);
  });
}
