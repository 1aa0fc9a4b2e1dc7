import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from './client';
import { dbFor, systemDb } from './tenant';
import { TENANT_MODELS } from './tenant-models';
import { createClusterWithToken, createOrg } from '../../testing/factories';

afterAll(() => disconnectDb());

async function asTenantRole<T>(orgId: string | null, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT set_config('role', 'bulwark_tenant', true)");
    if (orgId) await client.query("SELECT set_config('bulwark.org_id', $1, true)", [orgId]);
    const result = await work(client);
    await client.query('ROLLBACK');
    return result;
  } finally {
    await client.end();
  }
}

describe('row-level security', () => {
  it('is enabled, with a policy, on every tenant-owned table', async () => {
    const rows = await systemDb().$queryRaw<{ relname: string; relrowsecurity: boolean; policies: bigint }[]>`
      SELECT c.relname, c.relrowsecurity, (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`;
    for (const model of TENANT_MODELS) {
      const row = rows.find((r) => r.relname === model);
      expect(row, model).toBeDefined();
      expect(row?.relrowsecurity, `${model} has RLS enabled`).toBe(true);
      expect(Number(row?.policies), `${model} has a policy`).toBeGreaterThan(0);
    }
  });

  it('shows a tenant query with no organization set zero rows, and one organization only its own', async () => {
    const acme = await createOrg('RLS Acme');
    const globex = await createOrg('RLS Globex');
    await createClusterWithToken(acme, 'acme-one');
    await createClusterWithToken(globex, 'globex-one');
    const total = await systemDb().cluster.count();
    expect(total).toBeGreaterThanOrEqual(2);
    expect(await asTenantRole(null, async (c) => (await c.query('SELECT count(*)::int AS n FROM "Cluster"')).rows[0].n)).toBe(0);
    const names = await asTenantRole(acme.id, async (c) => (await c.query('SELECT name FROM "Cluster"')).rows.map((r: { name: string }) => r.name));
    expect(names).toEqual(['acme-one']);
  });

  it('refuses to write a row into another organization, even with a hand-written statement', async () => {
    const acme = await createOrg('RLS Write Acme');
    const globex = await createOrg('RLS Write Globex');
    await expect(asTenantRole(acme.id, (c) => c.query('INSERT INTO "Team" (id, "organizationId", name) VALUES (gen_random_uuid(), $1, $2)', [globex.id, 'sneaky'])))
      .rejects.toThrow(/row-level security/);
  });

  it('is what the tenant-scoped client runs under: raw SQL through dbFor sees its own organization only', async () => {
    const acme = await createOrg('RLS Raw Acme');
    const globex = await createOrg('RLS Raw Globex');
    await createClusterWithToken(acme, 'raw-acme');
    await createClusterWithToken(globex, 'raw-globex');
    const rows = await dbFor({ organizationId: acme.id }).$queryRaw<{ name: string }[]>`SELECT name FROM "Cluster" ORDER BY name`;
    expect(rows.map((r) => r.name)).toEqual(['raw-acme']);
    const inTx = await dbFor({ organizationId: globex.id }).$transaction((tx) => tx.$queryRaw<{ name: string }[]>`SELECT name FROM "Cluster"`);
    expect(inTx.map((r) => r.name)).toEqual(['raw-globex']);
  });
});

describe('LEAKPROOF operators (prisma/leakproof.sql, run by every migration run)', () => {
  const sql = () => readFile(path.resolve(import.meta.dirname, '../../../prisma/leakproof.sql'), 'utf8');

  it('lets a status filter and a search be index conditions under row-level security', async () => {
    const rows = await systemDb().$queryRaw<{ proname: string; proleakproof: boolean }[]>`
      SELECT proname, proleakproof FROM pg_proc WHERE proname IN ('enum_eq', 'enum_lt', 'texticlike') ORDER BY proname`;
    expect(rows).toEqual([{ proname: 'enum_eq', proleakproof: true }, { proname: 'enum_lt', proleakproof: true }, { proname: 'texticlike', proleakproof: true }]);
    const org = await createOrg('Leakproof plan');
    const plan = await asTenantRole(org.id, async (client) => {
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows: lines } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT count(*) FROM "Finding" WHERE "organizationId" = $1 AND status = 'OPEN' AND severity = 'HIGH'`, [org.id]);
      return lines.map((line) => line['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Cond: \(.*status = 'OPEN'.*severity = 'HIGH'/s);
  });

  it('is skipped, without failing the migration, for a role that is not a superuser', async () => {
    const notices: string[] = [];
    await asTenantRole(null, async (client) => {
      client.on('notice', (notice) => notices.push(notice.message ?? ''));
      await client.query(await sql());
    });
    expect(notices.join(' ')).toMatch(/not a superuser/);
  });
});

