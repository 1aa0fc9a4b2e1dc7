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
  const queries: Record<string, object> = {
    default: {}, active: { status: 'OPEN,ACKNOWLEDGED' }, critical: { severity: 'CRITICAL', status: 'OPEN,ACKNOWLEDGED' }, seen: { sort: 'lastSeenAt' }, due: { sort: 'dueAt', status: 'OPEN,ACKNOWLEDGED' },
    overdue: { overdue: true }, mine: { mine: true }, q: { q: 'app-1234' }, qns: { q: 'ns-12' }, ns: { namespace: 'ns-7' }, control: { controlId: 'control.7' },
  };
  for (const [name, q] of Object.entries(queries)) {
    let cursor: string | undefined;
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const page = await listFindings(ctx, { ...q, cursor, limit: 50 });
      times.push(Math.round(performance.now() - t));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) break;
    }
    console.log(name, times.join(' '));
  }
  const { listFindingKeys } = await import('../db/findings-list-sql');
  const dbx = dbFor(ctx);
  const orig = dbx.$queryRaw.bind(dbx);
  for (const filter of [{ mine: { userId: user.id, teamIds: [] as string[] } }, {}, { controlIds: ['control.7'] }]) {
    const spy = { ...dbx, $queryRaw: (q: Prisma.Sql) => orig(Prisma.sql`EXPLAIN ANALYZE ${q}`) } as unknown as typeof dbx;
    const plan = (await listFindingKeys(spy, org.id, filter, 'severity', null, 51)) as unknown as { 'QUERY PLAN': string }[];
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
}, 600_000);
