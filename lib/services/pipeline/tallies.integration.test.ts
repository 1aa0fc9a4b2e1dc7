import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from './evaluate-stored-snapshot';
import { compactFindingTallies } from './tallies';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Group = { clusterId: string; controlId: string; severity: string; status: string; n: number };

/** What the tally says, group by group. */
function tally(organizationId: string) {
  return systemDb().$queryRaw<Group[]>`
    SELECT "clusterId"::text AS "clusterId", "controlId", severity::text AS severity, status::text AS status, sum(n)::int AS n
    FROM "FindingTally" WHERE "organizationId" = ${organizationId}::uuid
    GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4`;
}

/** The truth: the findings counted. */
function counted(organizationId: string) {
  return systemDb().$queryRaw<Group[]>`
    SELECT "clusterId"::text AS "clusterId", "controlId", severity::text AS severity, status::text AS status, count(*)::int AS n
    FROM "Finding" WHERE "organizationId" = ${organizationId}::uuid
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
}

const loose = (name: string, extra: object = {}) => deployment({ namespace: 'shop', name }, { containers: [container({ name, image: 'nginx:latest', securityContext: {}, resources: {} })], ...extra });

async function evaluateAt(org: { id: string }, token: string, minute: number, objects: Parameters<typeof snapshotOf>[0]) {
  const at = `2026-05-01T10:${String(minute).padStart(2, '0')}:00Z`;
  const pushed = await pushSnapshot(token, snapshotOf(objects, { collectedAt: at, clusterUid: `uid-${org.id}-${token.slice(-6)}` }));
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(at));
}

describe('the finding tally the database keeps', () => {
  it('matches the findings counted, through evaluations, workflow changes, deletions and compaction', async () => {
    const acme = await createOrg('Tally Acme');
    const globex = await createOrg('Tally Globex');
    const prod = await createClusterWithToken(acme, 'prod');
    const dev = await createClusterWithToken(acme, 'dev');
    const other = await createClusterWithToken(globex, 'prod');
    const check = async () => {
      for (const org of [acme, globex]) expect(await tally(org.id)).toEqual(await counted(org.id));
    };

    await evaluateAt(acme, prod.token, 0, [namespace('shop'), loose('web'), loose('api', { hostPID: true })]);
    await evaluateAt(acme, dev.token, 0, [namespace('shop'), loose('web')]);
    await evaluateAt(globex, other.token, 0, [namespace('shop'), loose('web')]);
    expect((await counted(acme.id)).length).toBeGreaterThan(4);
    await check();

    // Workflow changes, as a tenant (row-level security applies to the appended rows too).
    const db = dbFor({ organizationId: acme.id });
    const some = await db.finding.findMany({ where: { clusterId: prod.cluster.id }, take: 3, select: { id: true } });
    await db.finding.updateMany({ where: { id: { in: some.map((f) => f.id) } }, data: { status: 'ACKNOWLEDGED' } });
    await db.finding.update({ where: { id: some[0]!.id }, data: { status: 'RISK_ACCEPTED' } });
    await check();

    // Fixed in the next snapshot: resolved; an unchanged re-push of dev appends nothing.
    await evaluateAt(acme, prod.token, 5, [namespace('shop'), loose('web')]);
    const rowsBefore = await systemDb().findingTally.count({ where: { organizationId: acme.id } });
    await evaluateAt(acme, dev.token, 5, [namespace('shop'), loose('web')]);
    expect(await systemDb().findingTally.count({ where: { organizationId: acme.id } })).toBe(rowsBefore);
    await check();

    // Compaction folds the deltas into one row per group, and leaves an organization with nothing new alone.
    await compactFindingTallies();
    await check();
    const groups = (await tally(acme.id)).length;
    expect(await systemDb().findingTally.count({ where: { organizationId: acme.id } })).toBe(groups);
    expect(await systemDb().findingTally.count({ where: { compacted: false } })).toBe(0);
    const ids = (await systemDb().findingTally.findMany({ where: { organizationId: acme.id }, select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id);
    await compactFindingTallies();
    expect((await systemDb().findingTally.findMany({ where: { organizationId: acme.id }, select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(ids);

    // Deleted findings (an operator cleaning up a cluster) leave the tally too.
    await systemDb().finding.deleteMany({ where: { organizationId: acme.id, clusterId: dev.cluster.id } });
    await check();
    expect((await tally(acme.id)).some((g) => g.clusterId === dev.cluster.id)).toBe(false);
  });

  it('refuses a tenant that tries to append to another organization\'s tally', async () => {
    const acme = await createOrg('Tally Writer');
    const globex = await createOrg('Tally Victim');
    const { cluster } = await createClusterWithToken(globex, 'prod');
    await expect(dbFor({ organizationId: acme.id }).$transaction((tx) => tx.$executeRaw`
      INSERT INTO "FindingTally" ("organizationId", "clusterId", "controlId", severity, status, n)
      VALUES (${globex.id}::uuid, ${cluster.id}::uuid, 'x', 'HIGH', 'OPEN', 1000)`)).rejects.toThrow(/row-level security/);
    expect(await tally(globex.id)).toEqual([]);
  });
});
