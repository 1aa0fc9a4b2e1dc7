/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order and books them in `_prisma_migrations`
 * exactly as Prisma does (sha256 checksum of the file, Prisma's advisory lock key, a failed migration blocks
 * further ones), so `prisma migrate deploy/status` on a connected machine agrees with it. `npm run db:migrate`
 * (scripts/migrate.ts) is its command line; the test setup, the bench and the load script call it directly.
 * Written by hand because Prisma 7's migrate commands need a native engine these machines cannot download,
 * and node-pg-migrate/postgrator cannot read Prisma's layout (see STACK-NOTES).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

const PRISMA_ADVISORY_LOCK_KEY = 72707369;
// This file is lib/platform/db/migrate.ts: the repository root is three levels up.
const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../prisma/migrations');
const LEAKPROOF_SQL = path.resolve(import.meta.dirname, '../../../prisma/leakproof.sql');

export type MigrationOutcome = { applied: string[]; alreadyApplied: number };

export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<MigrationOutcome> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) {
      throw new Error(`migration ${failed.migration_name} failed earlier and blocks further migrations; fix the database, then mark it rolled back (prisma migrate resolve --rolled-back ${failed.migration_name})`);
    }
    const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const applied: string[] = [];
    for (const name of names) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql'));
      const checksum = createHash('sha256').update(sql).digest('hex');
      const bookedChecksum = done.get(name);
      if (bookedChecksum !== undefined) {
        if (bookedChecksum !== checksum) log(`warning: ${name} was modified after it was applied`);
        continue;
      }
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)', [id, checksum, name]);
      try {
        // One transaction per migration: a failure leaves the schema as it was, and the row above says so.
        await client.query('BEGIN');
        await client.query(sql.toString('utf8'));
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        const message = error instanceof Error ? error.message : String(error);
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
        throw new Error(`migration ${name} failed: ${message}`);
      }
      await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
      applied.push(name);
      log(`applied ${name}`);
    }
    // Not a migration: applied on every run (see the file for why), so a restored database gets it too.
    await client.query(await readFile(LEAKPROOF_SQL, 'utf8'));
    const { rows: [role] } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    if (!role?.rolsuper) log('not a superuser: the read path runs without LEAKPROOF operators (slower for large organizations; see prisma/leakproof.sql)');
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
