import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../lib/platform/auth/context';
import { seedCatalog } from '../lib/services/catalog/seed-catalog';
import { disconnectDb } from '../lib/platform/db/client';
import { dbFor } from '../lib/platform/db/tenant';
import { findOrganizationBySlug } from '../lib/services/orgs/create-organization';
import { closeProducers } from '../lib/platform/queue/producers';
import { soaForReport } from '../lib/services/soa/soa-for-report';
import { evidenceStates } from '../lib/services/evidence/evidence-state';
import { seedDemoOrganizations } from '../prisma/demo/seed-demo';
import { loadDemoCompliance } from './demo-compliance';

const ISO = 'iso27001-2022';
let acme: OrgContext;
let summary: string;

beforeAll(async () => {
  await seedCatalog();
  await seedDemoOrganizations();
  const org = await findOrganizationBySlug('acme');
  if (!org) throw new Error('Acme was not seeded');
  acme = systemContext(org.id, 'test');
  summary = await loadDemoCompliance();
}, 120_000);

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe("Acme's demo Statement of Applicability and evidence", () => {
  it('has an approved ISO 27001 SoA with exclusions and provider responsibilities, each justified', async () => {
    expect(summary).toMatch(/^ISO 27001 SoA version 1/);
    const soa = await soaForReport(acme, ISO);
    expect(soa.draft).toBe(false);
    expect(soa.version).toMatchObject({ version: 1, approvedBy: { label: expect.stringMatching(/owner@acme\.test|Olivia/) } });
    const byId = new Map(soa.requirements.map((r) => [r.requirementId, r]));
    expect(['A.7.1', 'A.7.2', 'A.7.4'].map((id) => byId.get(id)?.status)).toEqual(['excluded', 'excluded', 'excluded']);
    expect(['A.7.8', 'A.7.11'].map((id) => byId.get(id)?.status)).toEqual(['provider_responsibility', 'provider_responsibility']);
    for (const r of soa.requirements.filter((x) => x.applicability !== 'applicable')) expect(r.justification?.length).toBeGreaterThan(40);
    // The e2e journey decides A.5.1 itself: the demo leaves it undecided.
    expect(byId.get('A.5.1')).toMatchObject({ decided: false, applicability: 'applicable', status: 'not_assessed' });
  });

  it('has evidence for manual requirements: accepted, expired, awaiting review, and an open request', async () => {
    const states = await evidenceStates(acme, ISO);
    expect(states.get('A.6.3')).toBe('current');
    expect(states.get('A.5.24')).toBe('current');
    expect(states.get('A.5.30')).toBe('expired');
    expect(states.get('A.5.29')).toBe('requested');
    expect(states.get('A.5.2')).toBeUndefined();
    const db = dbFor(acme);
    const pending = await db.evidenceItem.findMany({ where: { frameworkId: ISO, status: 'pending' }, select: { requirementId: true, title: true } });
    expect(pending).toEqual([{ requirementId: 'A.5.2', title: 'Security roles RACI (draft 2026)' }]);
    const file = await db.evidenceItem.findFirstOrThrow({ where: { requirementId: 'A.6.3' } });
    expect(file).toMatchObject({ kind: 'file', contentType: 'application/pdf', fileName: 'security-awareness-2026.pdf', status: 'accepted' });
    expect(file.reviewedById).not.toBe(file.uploadedById);
    expect(await db.evidenceRequest.count({ where: { frameworkId: ISO, requirementId: 'A.5.29', status: 'open' } })).toBe(1);
    const soa = await soaForReport(acme, ISO);
    expect(soa.coverage).toMatch(/2 with evidence; 2 with evidence missing or expired/);
  });

  it('loads once: a second run changes nothing', async () => {
    const before = await dbFor(acme).evidenceItem.count();
    expect(await loadDemoCompliance()).toBe('demo compliance already loaded');
    expect(await dbFor(acme).evidenceItem.count()).toBe(before);
    expect(await dbFor(acme).soaVersion.count()).toBe(1);
  });
});
