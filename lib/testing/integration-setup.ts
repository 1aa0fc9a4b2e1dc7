import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { adminUrl } from './global-setup';

// Runs before each integration test file: its own database cloned from the migrated template, and its own
// Redis key prefix. Nothing is mocked.
const base = inject('baseDatabaseUrl');
const name = `bulwark_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl(base) });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('dbTemplate')}"`);
await admin.end();
const url = new URL(base);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.REDIS_PREFIX = `bulwark-test-${name}`;
Object.assign(process.env, { NODE_ENV: 'test' });

// Each file's Redis keys go when the file is done (STACK-NOTES: a prefix per run, cleaned afterwards).
afterAll(async () => {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis may be deliberately unreachable in this file (fault tests); nothing to clean then.
  } finally {
    redis.disconnect();
  }
});
