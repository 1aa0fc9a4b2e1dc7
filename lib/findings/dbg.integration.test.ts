import { it } from 'vitest';
import { dbFor, systemDb } from '../db/tenant';
import { createClusterWithToken, createMember, createOrg } from '../testing/factories';
import { listFindings } from './list-findings';
import { Prisma } from '../db/client';

it('perf', async () => {
  const org = await createOrg();
  const noise = await createOrg();
  const { ctx, user } = await createMember(org, 'MEMBER');
  const { cluster } = await createClusterWithToken(org, 'p');
  const { cluster: nc } = await createClusterWithToken(noise, 'p');
  const db = systemDb();
  for (const [o, c, n] of [[org.id, cluster.id, 300000], [noise.id, nc.id, 200000]] as const) {
    await db.$executeRaw`INSERT INTO "Finding" ("organizationId","clusterId","controlId","fingerprint","severity","status","resourceApiVersion","resourceKind","resourceNamespace","resourceName","message","evidence","firstSeenAt","lastSeenAt","dueAt","assigneeUserId","updatedAt")
      SELECT ${o}::uuid, ${c}::uuid, 'control.' || (i % 60), 'fp' || i,
        (ARRAY['CRITICAL','HIGH','MEDIUM','LOW','LOW','MEDIUM','MEDIUM','LOW','LOW','LOW'])[1 + i % 10]::"Severity",
        (ARRAY['OPEN','OPEN','ACKNOWLEDGED','RESOLVED','RESOLVED','RESOLVED','RESOLVED','RISK_ACCEPTED'])[1 + i % 8]::"FindingStatus",
        'apps/v1','Deployment','ns-' || (i % 300),'app-' || i,'m','{}', now(), now() - (i % 5000) * interval '1 minute', now() + ((i % 100) - 20) * interval '1 day',
        CASE WHEN i % 50 = 0 THEN ${user.id}::uuid ELSE NULL END, now()
      FROM generate_series(1, ${n}) AS i`;
  }
  await db.$executeRawUnsafe('ANALYZE "Finding"');
  const { listFindingKeys } = await import('../db/findings-list-sql');
  const dbx = dbFor(ctx);
  const orig = dbx.$queryRaw.bind(dbx);
  let explain = false;
  const times: number[] = [];
  const spy = { ...dbx, $queryRaw: async (first: Prisma.Sql | TemplateStringsArray, ...values: unknown[]) => {
    const q = Array.isArray(first) ? Prisma.sql(first as TemplateStringsArray, ...values) : (first as Prisma.Sql);
    if (!explain) return orig(q);
    const plan = (await orig(Prisma.sql`EXPLAIN (ANALYZE, FORMAT JSON) ${q}`)) as unknown as { 'QUERY PLAN': { 'Execution Time': number }[] }[];
    times.push(plan[0]!['QUERY PLAN'][0]!['Execution Time']);
    return orig(q);
  } } as unknown as typeof dbx;
  const cases: Record<string, Parameters<typeof listFindingKeys>[2]> = {
    all: {}, accepted: { statuses: ['RISK_ACCEPTED'] }, active: { statuses: ['OPEN', 'ACKNOWLEDGED'] }, critical: { statuses: ['OPEN'], severities: ['CRITICAL'] },
    mine: { mine: { userId: user.id, teamIds: [] } }, control: { controlIds: ['control.7'] }, ns: { namespace: 'ns-7' }, q: { q: 'app-1234' },
  };
  for (const [name, filter] of Object.entries(cases)) {
    for (const sort of ['severity', 'lastSeenAt', 'dueAt'] as const) {
      let after = null;
      const line: string[] = [];
      for (let page = 0; page < 3; page++) {
        times.length = 0;
        explain = true;
        const keys = await listFindingKeys(spy, org.id, filter, sort, after, 51);
        explain = false;
        line.push(times.map((t) => t.toFixed(1)).join('+'));
        after = keys[49] ?? null;
        if (!after) break;
      }
      console.log(name.padEnd(9), sort.padEnd(10), line.join('  |  '));
    }
  }
}, 600_000);
