import { createPrivateKey, X509Certificate } from 'node:crypto';
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

/** Secrets published in this repository (.env.example, docker-compose.yml, scripts): anyone knows them. */
export const PUBLISHED_SECRETS: readonly string[] = [
  'change-me-to-a-long-random-string',
  'demo-only-secret-change-me-in-production',
  'bulwark-development-secret-not-for-production',
];
/** The development IdP's client (scripts/dev-idp.ts), the default outside production. */
export const DEV_OIDC_CLIENT = { id: 'bulwark-dev', secret: 'bulwark-dev-secret' } as const;

/** An empty `NAME=` line (as in .env.example) means unset, so defaults and "required in production" apply. */
const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

/** A PEM value given on one line (a .env file, a CI secret) with literal "\n" separators is read as the PEM it is. */
const pemValue = (value: unknown) => (value === '' ? undefined : typeof value === 'string' ? value.replace(/\\n/g, '\n') : value);

/** Subjects of the certificate Bulwark generates outside production when none is configured (lib/services/reports). */
export const DEVELOPMENT_REPORT_CERT_MARKER = 'Bulwark development report signing';

const Base64Key32 = z.string().refine(
  (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
  'must be the base64 of exactly 32 random bytes (openssl rand -base64 32)',
);

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
  /** The agent image the served install manifests run (a release tag, or tag@sha256:digest for your own build). */
  AGENT_IMAGE: z.preprocess(emptyAsUnset, z.string().max(255).regex(/^[a-z0-9][A-Za-z0-9._/:-]*(?:@sha256:[a-f0-9]{64})?$/, 'must be an image reference: registry/name:tag or registry/name:tag@sha256:<digest>').default('ghcr.io/bulwark-dev/agent:0.1.0')),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.preprocess(emptyAsUnset, z.string().min(16).optional()),
  /** Encrypts secrets stored in the database (SSO client secrets). Required in production. */
  BULWARK_ENCRYPTION_KEY: z.preprocess(emptyAsUnset, Base64Key32.optional()),
  /** Earlier encryption keys, comma-separated, still read after a rotation until `npm run admin -- keys:rotate` ran. */
  BULWARK_ENCRYPTION_KEYS_OLD: z.preprocess(emptyAsUnset, z.string().optional()
    .transform((value) => (value ?? '').split(',').map((part) => part.trim()).filter((part) => part.length > 0))
    .pipe(z.array(Base64Key32))),
  /** The DNS server that domain verification asks for TXT records (host:port, e.g. 127.0.0.1:5353); unset: the system's. */
  DNS_RESOLVER: z.preprocess(emptyAsUnset, z.string().regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/, 'must be an IP address with an optional port: 127.0.0.1:5353 or [::1]:53').optional()),
  /** HMAC key that signs the audit chain's published heads (kept outside the database). Required in production. */
  AUDIT_SIGNING_KEY: z.preprocess(emptyAsUnset, z.string().min(32, 'must be at least 32 random characters (openssl rand -base64 48)').optional()),
  /** PEM RSA private key (unencrypted PKCS#8 or PKCS#1) that signs PDF reports; required in production. */
  REPORT_SIGNING_KEY: z.preprocess(pemValue, z.string().includes('PRIVATE KEY-----', { message: 'must be a PEM private key (-----BEGIN PRIVATE KEY-----)' }).optional()),
  /** PEM certificate of that key, then any intermediates (leaf first); required in production. */
  REPORT_SIGNING_CERT: z.preprocess(pemValue, z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be one or more PEM certificates, the signing one first' }).optional()),
  /** Largest file /verify accepts (bytes). */
  VERIFY_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** /verify checks per client address per minute (known only behind TRUSTED_PROXIES), and from everyone together. */
  VERIFY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  VERIFY_GLOBAL_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
  OIDC_ISSUER: z.string().url().default('http://localhost:4010'),
  OIDC_CLIENT_ID: z.preprocess(emptyAsUnset, z.string().min(1).default(DEV_OIDC_CLIENT.id)),
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUnset, z.string().min(1).default(DEV_OIDC_CLIENT.secret)),
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
  /** Largest evidence file one upload may carry (bytes); larger ones are refused with 413. */
  EVIDENCE_MAX_FILE_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** All evidence files of one organization together (bytes); an upload past it is refused with 413. */
  EVIDENCE_MAX_ORG_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  /**
   * Where evidence files go: unset keeps them in Postgres; `s3://bucket/prefix?region=eu-west-1` (optionally
   * `&endpoint=https://minio.internal:9000&forcePathStyle=true`) in S3-compatible object storage, with the AWS SDK's
   * usual credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or an instance role).
   */
  EVIDENCE_STORAGE_URL: z.preprocess(emptyAsUnset, z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^?#]*)?(\?[^#]*)?$/, 'must be s3://bucket[/prefix][?region=...&endpoint=...&forcePathStyle=true]').optional()),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** How long a worker's lock on a job lasts, and how often stalled jobs (a worker that died) are looked for. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(60_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Ranges webhooks may reach although they are internal (loopback, private, link-local...), comma-separated CIDRs. */
  WEBHOOK_ALLOWED_CIDRS: cidrList(),
  /** Internal ranges an organization's SSO connection (discovery and its endpoints) may be at, comma-separated
   * CIDRs; outside production loopback is always allowed, for the dev IdP. */
  SSO_ALLOWED_CIDRS: cidrList(),
  /** Internal ranges an organization's Jira connection (its base URL) may be at, comma-separated CIDRs; by default only
   * public addresses. */
  JIRA_ALLOWED_CIDRS: cidrList(),
  /** Reverse proxies (CIDRs) whose X-Forwarded-For entries are believed; empty: the header is ignored. */
  TRUSTED_PROXIES: cidrList(),
  /**
   * Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465. Unset: mail is not sent
   * (each message is logged without its body and marked failed in the mail log); production warns at startup.
   */
  SMTP_URL: z.preprocess(emptyAsUnset, z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://[user:pass@]host[:port] or smtps://...').optional()),
  /** The From: of every mail, an address or "Name <address>". */
  MAIL_FROM: z.preprocess(emptyAsUnset, z.string().min(3).max(200).regex(/@/, 'must contain an e-mail address').default('Bulwark <bulwark@localhost>')),
}).superRefine(refuseDevelopmentDefaultsInProduction).superRefine(checkReportSigning);
export type Env = z.infer<typeof EnvSchema>;

/**
 * Development works with no configuration; production must not run on anything published in this repository:
 * a known NEXTAUTH_SECRET lets anyone forge a session cookie, the dev IdP's client lets anyone sign in as anyone,
 * and without the encryption and audit keys stored secrets and the audit log's anchors would be unprotected.
 */
function refuseDevelopmentDefaultsInProduction(e: {
  NODE_ENV: string; NEXTAUTH_SECRET?: string; OIDC_CLIENT_ID: string; OIDC_CLIENT_SECRET: string; BULWARK_ENCRYPTION_KEY?: string; AUDIT_SIGNING_KEY?: string;
}, ctx: z.RefinementCtx): void {
  if (e.NODE_ENV !== 'production') return;
  const refuse = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message: `${message} (NODE_ENV=production)` });
  if (e.NEXTAUTH_SECRET === undefined) refuse('NEXTAUTH_SECRET', 'is required: at least 32 random characters (openssl rand -base64 48)');
  else if (PUBLISHED_SECRETS.includes(e.NEXTAUTH_SECRET)) refuse('NEXTAUTH_SECRET', 'is a placeholder published in this repository; set your own random value (openssl rand -base64 48)');
  else if (e.NEXTAUTH_SECRET.length < 32) refuse('NEXTAUTH_SECRET', 'must be at least 32 random characters');
  if (e.OIDC_CLIENT_ID === DEV_OIDC_CLIENT.id) refuse('OIDC_CLIENT_ID', `is the development IdP's client (${DEV_OIDC_CLIENT.id}); register a client with your identity provider`);
  if (e.OIDC_CLIENT_SECRET === DEV_OIDC_CLIENT.secret) refuse('OIDC_CLIENT_SECRET', "is the development IdP's published secret; use your identity provider's client secret");
  if (e.BULWARK_ENCRYPTION_KEY === undefined) refuse('BULWARK_ENCRYPTION_KEY', 'is required: the base64 of 32 random bytes (openssl rand -base64 32)');
  if (e.AUDIT_SIGNING_KEY === undefined) refuse('AUDIT_SIGNING_KEY', 'is required: at least 32 random characters, kept outside the database (openssl rand -base64 48)');
  else if (PUBLISHED_SECRETS.includes(e.AUDIT_SIGNING_KEY) || e.AUDIT_SIGNING_KEY === e.NEXTAUTH_SECRET) refuse('AUDIT_SIGNING_KEY', 'must be its own random value, not a published placeholder or NEXTAUTH_SECRET');
}

/**
 * The report signing key and certificate go together, must match, and must be RSA (the CMS signer, node-forge,
 * signs with RSA). Production requires them and refuses the development certificate Bulwark makes on a machine
 * where none is configured: a report signed by it proves nothing to anyone else.
 */
function checkReportSigning(e: { NODE_ENV: string; REPORT_SIGNING_KEY?: string; REPORT_SIGNING_CERT?: string }, ctx: z.RefinementCtx): void {
  const issue = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
  if (e.REPORT_SIGNING_KEY === undefined && e.REPORT_SIGNING_CERT === undefined) {
    if (e.NODE_ENV === 'production') {
      issue('REPORT_SIGNING_KEY', 'is required with REPORT_SIGNING_CERT: the PEM key and certificate that sign PDF reports (NODE_ENV=production)');
    }
    return;
  }
  if (e.REPORT_SIGNING_KEY === undefined || e.REPORT_SIGNING_CERT === undefined) {
    issue(e.REPORT_SIGNING_KEY === undefined ? 'REPORT_SIGNING_KEY' : 'REPORT_SIGNING_CERT', 'must be set together with the other of REPORT_SIGNING_KEY and REPORT_SIGNING_CERT');
    return;
  }
  // A value that is not PEM at all was named by its own field check already.
  if (!e.REPORT_SIGNING_KEY.includes('PRIVATE KEY-----') || !e.REPORT_SIGNING_CERT.includes('-----BEGIN CERTIFICATE-----')) return;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(e.REPORT_SIGNING_CERT);
  } catch {
    issue('REPORT_SIGNING_CERT', 'cannot be read as a PEM certificate');
    return;
  }
  try {
    const key = createPrivateKey(e.REPORT_SIGNING_KEY);
    if (key.asymmetricKeyType !== 'rsa') issue('REPORT_SIGNING_KEY', `must be an RSA key (it is ${key.asymmetricKeyType ?? 'unknown'})`);
    else if (!certificate.checkPrivateKey(key)) issue('REPORT_SIGNING_CERT', 'is not the certificate of REPORT_SIGNING_KEY (the first certificate must be the signing one)');
  } catch {
    issue('REPORT_SIGNING_KEY', 'cannot be read as an unencrypted PEM private key');
    return;
  }
  if (e.NODE_ENV === 'production' && certificate.subject.includes(DEVELOPMENT_REPORT_CERT_MARKER)) {
    issue('REPORT_SIGNING_CERT', "is Bulwark's development certificate; configure your own key and certificate (NODE_ENV=production)");
  }
}

let parsed: Env | undefined;

/** Tests that change process.env after startup call this so the next env() reads it again. */
export function resetEnvForTests(): void {
  parsed = undefined;
}

/** At process start (web app, worker): a bad environment ends the process with code 1, naming each variable. */
export function exitOnInvalidEnv(service: string): void {
  try {
    env();
  } catch (error) {
    console.error(`[${service}] ${(error as Error).message}`);
    process.exit(1);
  }
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
