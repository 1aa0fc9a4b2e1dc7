import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from './client';
import { dbFor, systemDb } from './tenant';
import { TENANT_MODELS } from './tenant-models';
import { createClusterWithToken, createOrg } from '../testing/factories';

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
