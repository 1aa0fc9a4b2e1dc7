import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { adminUrl } from '@/lib/testing/global-setup';
import { migrate } from './migrate';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../../prisma/migrations');

async function migrationNames(): Promise<string[]> {
  return (await readdir(MIGRATIONS, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

describe('migrate', () => {
  it('applies every migration of prisma/migrations to an empty database once, then nothing', async () => {
    const base = process.env.DATABASE_URL as string;
    const name = `bulwark_migrate_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl(base) });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(base);
      url.pathname = `/${name}`;
      const names = await migrationNames();
      expect(names.length).toBeGreaterThan(0);
      const first = await migrate(url.toString());
      expect(first).toEqual({ applied: names, alreadyApplied: 0 });
      const again = await migrate(url.toString());
      expect(again).toEqual({ applied: [], alreadyApplied: names.length });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});
