import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { resolveAgentToken } from '../../platform/auth/agent-token-context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { ingestNodeReport } from '../ingest/ingest-node-report';
import { getOrgSettings, updateOrgSettings } from '../orgs/settings';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot, streamOf } from '../../testing/push';
import { generateReport } from './generate-report';
import { requestReport } from './request-report';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

/** The collector's reports of the node fixtures, as committed beside them (agent/test/node-fixtures/<name>/report.json). */
const fixture = (name: string): string =>
  readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'agent', 'test', 'node-fixtures', name, 'report.json'), 'utf8');

let org: Awaited<ReturnType<typeof createOrg>>;

async function clusterWithNodes(name: string, fixtures: string[]): Promise<void> {
  const { token } = await createClusterWithToken(org, name);
  const agent: OrgContext = await resolveAgentToken(`Bearer ${token}`);
  for (const report of fixtures) {
    await ingestNodeReport(agent, { body: streamOf(new TextEncoder().encode(fixture(report))), contentType: 'application/json', contentEncoding: null, idempotencyKey: null });
  }
  const pushed = await pushSnapshot(token, snapshotOf([namespace('shop')], { collectedAt: '2026-12-02T10:00:00Z', clusterUid: `uid-${name}` }));
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date('2026-12-02T10:01:00Z'));
}

async function csvReport(frameworkId: 'cis-k8s-1.9' | 'cis-k8s-1.12', clusterName: string): Promise<string[]> {
  const auditor = await createMember(org, 'AUDITOR');
  const cluster = await dbFor({ organizationId: org.id }).cluster.findFirstOrThrow({ where: { name: clusterName } });
  const report = await requestReport(auditor.ctx, { frameworkId, format: 'CSV', clusterIds: [cluster.id], periodStart: '2026-12-01', periodEnd: '2026-12-03' });
  await generateReport(systemContext(org.id, 'generate-report'), report.id, () => new Date('2026-12-03T12:00:00Z'));
  const row = await dbFor({ organizationId: org.id }).report.findUniqueOrThrow({ where: { id: report.id }, omit: { content: false } });
  expect(row.status).toBe('DONE');
  return Buffer.from(row.content ?? new Uint8Array()).toString('utf8').split('\r\n\r\n')[0]!.split('\r\n');
}

beforeAll(async () => {
  org = await createOrg();
  await clusterWithNodes('dev-kubeadm', ['kubeadm-control-plane', 'kubeadm-worker']);
  await clusterWithNodes('eks', ['eks-worker']);
});

describe('CIS report, sections 1-5, from node reports (issue 21)', () => {
  it('judges a kubeadm control plane with defaults on sections 1-4 and keeps section 5', async () => {
    const rows = await csvReport('cis-k8s-1.9', 'dev-kubeadm');
    const sections = new Set(rows.slice(1).map((line) => line.split('.')[0]));
    expect([...sections].sort()).toEqual(['1', '2', '3', '4', '5']);
    // kubeadm leaves --profiling on and no audit log: failed, with the node control named.
    expect(rows.find((line) => line.startsWith('1.2.15,'))).toMatch(/,Failed,failed,.*node\.apiserver-profiling/);
    expect(rows.find((line) => line.startsWith('1.2.16,'))).toMatch(/,Failed,failed,/);
    // kubeadm sets RBAC and Node authorization and etcd client certificates: passed.
    expect(rows.find((line) => line.startsWith('1.2.8,'))).toMatch(/,Passed,passed,/);
    expect(rows.find((line) => line.startsWith('2.2,'))).toMatch(/,Passed,passed,/);
    // Items with no structured audit are not assessed, never passed.
    expect(rows.find((line) => line.startsWith('3.1.1,'))).toMatch(/,Not assessed by Bulwark,not_assessed,/);
    expect(rows.find((line) => line.startsWith('5.2.2,'))).toBeDefined();
  });

  it('marks the control-plane items of an EKS cluster provider responsibility and still judges its worker', async () => {
    const rows = await csvReport('cis-k8s-1.9', 'eks');
    for (const id of ['1.1.1', '1.2.1', '1.2.16', '1.3.2', '1.4.1', '2.2', '3.2.1']) {
      expect(rows.find((line) => line.startsWith(`${id},`)), id).toMatch(/,Provider responsibility,provider_responsibility,/);
    }
    const section4 = rows.filter((line) => line.startsWith('4.'));
    expect(section4.length).toBeGreaterThan(20);
    expect(section4.some((line) => /,(Passed,passed|Failed,failed),/.test(line))).toBe(true);
    expect(section4.some((line) => line.includes('provider_responsibility'))).toBe(false);
  });

  it('lets the organization pick v1.12, and the v1.12 report uses its numbering', async () => {
    const admin = await createMember(org, 'ADMIN');
    const before = await getOrgSettings(admin.ctx);
    expect(before.cisBenchmarkVersion).toBe('1.9');
    const { updatedAt: _u, ...settings } = before;
    expect((await updateOrgSettings(admin.ctx, { ...settings, cisBenchmarkVersion: '1.12' })).cisBenchmarkVersion).toBe('1.12');
    await expect(updateOrgSettings(admin.ctx, { ...settings, cisBenchmarkVersion: '2.0' as '1.12' })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'cisBenchmarkVersion' })] });
    expect((await getOrgSettings(admin.ctx)).cisBenchmarkVersion).toBe('1.12');
    const rows = await csvReport('cis-k8s-1.12', 'dev-kubeadm');
    // 1.2.30 exists only in v1.12; 5.6.2 is v1.9's 5.7.2 (seccomp).
    expect(rows.find((line) => line.startsWith('1.2.30,'))).toMatch(/node\.apiserver-service-account-extend-token-expiration/);
    expect(rows.some((line) => line.startsWith('5.6.2,'))).toBe(true);
    expect(rows.some((line) => line.startsWith('5.7.2,'))).toBe(false);
  });
});
