import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createMember, createOrg } from '../../testing/factories';
import { addEvidence, reviewEvidence } from '../evidence/evidence';
import { approveSoaVersion, setSoaDecision } from '../soa/edit-soa';
import { loadReportData } from './report-data';
import { renderCsv } from './render/csv';
import { renderOscal } from './render/oscal';
import type { ReportData } from './render/types';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const ISO = 'iso27001-2022';
const DAY = 86_400_000;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JUSTIFICATION = 'No premises of our own: the company works remotely; the co-working provider is certified (see contract 2026-14).';

let data: ReportData;
let people: { owner: string; admin: string; member: string };
let periodEnd: Date;

/**
 * Acme's SoA: A.7.1 excluded with a justification, A.5.1 applicable with an owner; version 1 approved. Evidence: a
 * policy PDF for A.5.1 accepted by a second admin; an expired link for A.5.2; an attestation for A.5.4 nobody reviewed;
 * an attestation for A.5.10 accepted only after the period end. The report's period ends between those.
 */
beforeAll(async () => {
  const org = await createOrg();
  const owner = await createMember(org, 'OWNER');
  const admin = await createMember(org, 'ADMIN');
  const member = await createMember(org, 'MEMBER');
  people = { owner: owner.user.email, admin: admin.user.email, member: member.user.email };
  await setSoaDecision(owner.ctx, { frameworkId: ISO, requirementId: 'A.7.1', applicability: 'excluded', justification: JUSTIFICATION });
  await setSoaDecision(owner.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'applicable', ownerUserId: member.user.id, implementationStatus: 'implemented' });
  await approveSoaVersion(owner.ctx, { frameworkId: ISO, note: 'SoA for the 2027 audit' });

  const now = Date.now();
  const policy = await addEvidence(member.ctx, {
    frameworkId: ISO, requirementId: 'A.5.1', kind: 'file', title: 'Information security policy v3', ownerUserId: member.user.id,
    collectedAt: new Date(now - 10 * DAY).toISOString(), validUntil: new Date(now + 355 * DAY).toISOString(),
  }, { name: 'infosec-policy.pdf', bytes: PDF });
  await reviewEvidence(admin.ctx, { evidenceId: policy.id, decision: 'accepted' });
  const old = await addEvidence(member.ctx, {
    frameworkId: ISO, requirementId: 'A.5.2', kind: 'link', title: 'Roles and responsibilities (2024)', url: 'https://wiki.example.com/roles',
    collectedAt: '2024-01-01', validUntil: '2025-01-01',
  });
  await reviewEvidence(admin.ctx, { evidenceId: old.id, decision: 'accepted' });
  await addEvidence(member.ctx, {
    frameworkId: ISO, requirementId: 'A.5.4', kind: 'attestation', title: 'Management attestation', attestation: 'Management reviews security quarterly.',
    collectedAt: new Date(now - DAY).toISOString(), validUntil: new Date(now + 300 * DAY).toISOString(),
  });
  const late = await addEvidence(member.ctx, {
    frameworkId: ISO, requirementId: 'A.5.10', kind: 'attestation', title: 'Acceptable use signed by all staff', attestation: 'Every employee signed the acceptable use policy.',
    collectedAt: new Date(now - DAY).toISOString(), validUntil: new Date(now + 300 * DAY).toISOString(),
  });
  await reviewEvidence(admin.ctx, { evidenceId: late.id, decision: 'accepted' });
  periodEnd = new Date(Date.now() + 1_000);
  // Its review happened after the period end (as a report for an earlier period sees it).
  await systemDb().evidenceItem.update({ where: { id: late.id }, data: { reviewedAt: new Date(periodEnd.getTime() + DAY) } });

  data = await loadReportData(systemContext(org.id, 'test'), {
    id: '00000000-0000-4000-8000-00000000abcd', frameworkId: ISO, periodStart: new Date(periodEnd.getTime() - 30 * DAY), periodEnd, clusterIds: [], requestedById: null,
  });
});

const requirement = (id: string) => data.requirements.find((r) => r.id === id)!;

describe('report data: the Statement of Applicability and the evidence at the period end', () => {
  it('uses the SoA version approved by the period end, with the exclusion and its justification', () => {
    expect(data.soa).toMatchObject({ draft: false, version: { number: 1, approvedBy: expect.stringContaining(people.owner) } });
    expect(requirement('A.7.1')).toMatchObject({ applicability: 'excluded', decided: true, justification: JUSTIFICATION, complianceStatus: 'excluded' });
    expect(data.soa.coverage).toMatch(/1 with evidence/);
    expect(data.soa.coverage).toMatch(/1 excluded/);
  });

  it('gives each requirement its vocabulary status from its evidence as it stood then', () => {
    expect(requirement('A.5.1')).toMatchObject({ complianceStatus: 'evidence_provided', evidence: 'current', owner: people.member, implementationStatus: 'Implemented' });
    expect(requirement('A.5.2')).toMatchObject({ complianceStatus: 'evidence_missing', evidence: 'expired', applicability: 'applicable', decided: false });
    expect(requirement('A.5.4')).toMatchObject({ complianceStatus: 'not_assessed', evidence: 'none' });
    expect(requirement('A.5.10')).toMatchObject({ complianceStatus: 'not_assessed', evidence: 'none' });
    expect(data.requirements.map((r) => r.complianceStatus)).not.toContain('not_applicable');
  });

  it('lists the evidence with dates, reviewer and status, a review after the period end reading as pending', () => {
    const byTitle = new Map(data.evidence.map((e) => [e.title, e]));
    expect(byTitle.get('Information security policy v3')).toMatchObject({
      requirementId: 'A.5.1', kind: 'file', fileName: 'infosec-policy.pdf', contentType: 'application/pdf', status: 'accepted',
      reviewedBy: expect.stringContaining(people.admin), owner: people.member, sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(byTitle.get('Roles and responsibilities (2024)')).toMatchObject({ status: 'expired', validUntil: '2025-01-01T00:00:00.000Z', url: 'https://wiki.example.com/roles' });
    expect(byTitle.get('Management attestation')).toMatchObject({ status: 'pending', reviewedBy: null });
    expect(byTitle.get('Acceptable use signed by all staff')).toMatchObject({ status: 'pending', reviewedBy: null, reviewedAt: null });
  });

  it('renders an OSCAL document NIST\'s 1.1.2 schema accepts, and a CSV row in the vocabulary', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('./render/schemas/oscal_assessment-results_schema-1.1.2.json', import.meta.url), 'utf8')) as object);
    let oscal = '';
    for await (const chunk of renderOscal(data)) oscal += chunk;
    const valid = validate(JSON.parse(oscal));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(oscal).toContain('infosec-policy.pdf');
    expect(oscal).toContain(JUSTIFICATION);

    let csv = '';
    for await (const chunk of renderCsv(data)) csv += chunk;
    const a51 = csv.split('\r\n').find((line) => line.startsWith('A.5.1,'));
    expect(a51).toMatch(/^A\.5\.1,Policies for information security,Evidence provided,evidence_provided,applicable,,/);
    expect(a51).toContain('Information security policy v3 (file infosec-policy.pdf sha256:');
    expect(csv.split('\r\n').find((line) => line.startsWith('A.7.1,'))).toContain(`Excluded,excluded,excluded,${JUSTIFICATION.includes(',') ? `"${JUSTIFICATION}"` : JUSTIFICATION}`);
  });
});
