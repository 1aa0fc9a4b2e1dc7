import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
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
