import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../platform/db/migrate';

const ROOT = path.resolve(import.meta.dirname, '../..');

export function adminUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function migrationsHash(): Promise<string> {
  const dir = path.join(ROOT, 'prisma/migrations');
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).sort()) {
    if (name.endsWith('.toml')) continue;
    hash.update(name).update(await readFile(path.join(dir, name, 'migration.sql')));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * Integration tests run against the real Postgres and Redis. This migrates one template database per set of
 * migrations; each test file then gets its own copy (CREATE DATABASE ... TEMPLATE), so files start clean and
 * can run in parallel.
 */
export default async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
  const admin = new pg.Client({ connectionString: adminUrl(base) });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Integration tests need PostgreSQL at ${new URL(base).host} (run \`npm run services\`): ${(error as Error).message}`);
  }
  const template = `bulwark_tpl_${await migrationsHash()}`;
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (exists.rowCount === 0) {
    const building = `${template}_${randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE DATABASE "${building}"`);
    const url = new URL(base); url.pathname = `/${building}`;
    await migrate(url.toString());
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`).catch(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`); // another run built it first
    });
  }
  const runId = randomBytes(4).toString('hex');
  project.provide('dbTemplate', template);
  project.provide('runId', runId);
  project.provide('baseDatabaseUrl', base);
  await admin.end();

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl(base) });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`bulwark_t_${runId}_%`]);
    for (const row of rows) await cleanup.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await cleanup.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: string;
    runId: string;
    baseDatabaseUrl: string;
  }
}
