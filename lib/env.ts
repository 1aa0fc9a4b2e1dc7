import { z } from 'zod';
import { parseCidrList, type Cidr } from './net/ip-ranges';

/** A comma-separated list of CIDRs (or single addresses), parsed once; a bad entry is named at startup. */
function cidrList() {
  return z.string().default('').transform((value, context): Cidr[] => {
    try {
      return parseCidrList(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

/**
 * The only reader of process.env. Parsed once; a missing or bad variable stops the process with a message
 * naming each one (values are never printed: some are secrets).
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/bulwark'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Key prefix for BullMQ and rate-limit keys, so test runs and deployments can share a Redis. */
  REDIS_PREFIX: z.string().min(1).default('bulwark'),
  APP_URL: z.string().url().default('http://localhost:3000'),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  OIDC_ISSUER: z.string().url().default('http://localhost:4010'),
  OIDC_CLIENT_ID: z.string().min(1).default('bulwark-dev'),
  OIDC_CLIENT_SECRET: z.string().min(1).default('bulwark-dev-secret'),
  OIDC_PROVIDER_NAME: z.string().min(1).default('Bulwark dev IdP'),
  /** Extra OIDC providers as JSON: [{"id","name","issuer","clientId","clientSecret"}]. */
  OIDC_EXTRA_PROVIDERS: z.string().optional(),
  INGEST_MAX_COMPRESSED_BYTES: z.coerce.number().int().positive().default(32 * 1024 * 1024),
  INGEST_MAX_DECOMPRESSED_BYTES: z.coerce.number().int().positive().default(256 * 1024 * 1024),
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Pushes per organization per minute, across all its agent tokens (an admin can mint many). */
  INGEST_ORG_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Snapshot intakes one organization may have in progress at once, across all web replicas. */
  INGEST_ORG_MAX_CONCURRENT: z.coerce.number().int().positive().default(4),
  /** Worker threads validating snapshots per web process; 0 = one per CPU, at least 2. */
  INGEST_POOL_THREADS: z.coerce.number().int().min(0).max(64).default(0),
  /** How long one snapshot's validation may take (queueing for a thread included) before it is refused with 503. */
  INGEST_TASK_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Heap limit of each validation thread; a snapshot needing more is refused with 413. */
  INGEST_TASK_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(1024),
  /** How far (seconds) a snapshot's collectedAt may be ahead of the server's clock; beyond it the intake answers 400. */
  INGEST_MAX_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Sign-in attempts per client address per minute. */
  SIGNIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** /api/v1 requests per minute with one API token, and with all of one organization's tokens together. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  API_ORG_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(1200),
  /** Reports an organization may have queued or running at once; past it a request gets 429. */
  REPORTS_MAX_PENDING_PER_ORG: z.coerce.number().int().positive().default(5),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How long a worker's lock on a job lasts, and how often stalled jobs (a worker that died) are looked for. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(60_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Ranges webhooks may reach although they are internal (loopback, private, link-local...), comma-separated CIDRs. */
  WEBHOOK_ALLOWED_CIDRS: cidrList(),
  /** Reverse proxies (CIDRs) whose X-Forwarded-For entries are believed; empty: the header is ignored. */
  TRUSTED_PROXIES: cidrList(),
});
export type Env = z.infer<typeof EnvSchema>;

let parsed: Env | undefined;

/** Tests that change process.env after startup call this so the next env() reads it again. */
export function resetEnvForTests(): void {
  parsed = undefined;
}

export function env(): Env {
  if (parsed) return parsed;
  const result = EnvSchema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}\nSee .env.example for every variable.`);
  }
  parsed = result.data;
  return parsed;
}
