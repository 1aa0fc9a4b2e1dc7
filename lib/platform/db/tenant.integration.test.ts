import { afterAll, describe, expect, it } from 'vitest';
import { dbFor, systemDb } from './tenant';
import { disconnectDb } from './client';
import { createClusterWithToken, createOrg } from '../../testing/factories';
import { touchFindings } from './findings-sql';

afterAll(() => disconnectDb());

describe('the tenant-scoped client', () => {
  it('does not find another organization\'s cluster by id, nor update or delete it', async () => {
    const acme = await createOrg('Acme Scope');
    const globex = await createOrg('Globex Scope');
    const { cluster } = await createClusterWithToken(acme, 'prod');
    const asGlobex = dbFor({ organizationId: globex.id });

    expect(await asGlobex.cluster.findUnique({ where: { id: cluster.id } })).toBeNull();
    expect(await asGlobex.cluster.findMany()).toEqual([]);
    expect((await asGlobex.cluster.updateMany({ where: { id: cluster.id }, data: { name: 'hijacked' } })).count).toBe(0);
    await expect(asGlobex.cluster.update({ where: { id: cluster.id }, data: { name: 'hijacked' } })).rejects.toThrow();
    await expect(asGlobex.cluster.delete({ where: { id: cluster.id } })).rejects.toThrow();
    expect((await systemDb().cluster.findUniqueOrThrow({ where: { id: cluster.id } })).name).toBe('prod');
  });

  it('writes the organization into creates, whatever the caller passed', async () => {
    const acme = await createOrg('Acme Create');
    const globex = await createOrg('Globex Create');
    const row = await dbFor({ organizationId: acme.id }).team.create({ data: { organizationId: globex.id, name: 'platform' } });
    expect(row.organizationId).toBe(acme.id);
  });

  it('cannot link a child row to another organization\'s parent (composite foreign key)', async () => {
    const acme = await createOrg('Acme FK');
    const globex = await createOrg('Globex FK');
    const { cluster } = await createClusterWithToken(acme, 'prod');
    await expect(dbFor({ organizationId: globex.id }).agentToken.create({
      data: { organizationId: globex.id, clusterId: cluster.id, tokenHash: 'x'.repeat(64), prefix: 'bwa_x' },
    })).rejects.toThrow(/Foreign key|violates/i);
  });

  it('raw bulk SQL stays inside the organization it was given', async () => {
    const acme = await createOrg('Acme Raw');
    const globex = await createOrg('Globex Raw');
    const { cluster } = await createClusterWithToken(acme, 'prod');
    const seen = new Date('2026-01-01T00:00:00Z');
    await systemDb().finding.create({ data: {
      organizationId: acme.id, clusterId: cluster.id, controlId: 'c', fingerprint: 'fp1', severity: 'HIGH', resourceApiVersion: 'v1',
      resourceKind: 'Pod', resourceName: 'p', message: 'm', evidence: {}, firstSeenAt: seen, lastSeenAt: seen,
    } });
    const updated = await dbFor({ organizationId: globex.id }).$transaction((tx) => touchFindings(tx, globex.id, cluster.id, ['fp1'], new Date(), cluster.id));
    expect(updated).toBe(0);
    expect((await systemDb().finding.findFirstOrThrow({ where: { fingerprint: 'fp1' } })).lastSeenAt).toEqual(seen);
  });
});
