import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { resolveSessionMembership } from '../../platform/auth/membership';
import { isAppError, type AppError } from '../../platform/errors';
import type { OrgContext } from '../../platform/auth/context';
import { FRAMEWORKS, listRequirementControls } from '../../analysis/frameworks';
import { createMember, createOrg } from '../../testing/factories';
import { app, baseObjects, orgWithFindings } from '../../testing/findings-fixture';
import { requestRiskAcceptance } from '../findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../findings/decide-risk-acceptance';
import { getSoa, getSoaVersion } from './read-soa';
import { approveSoaVersion, setSoaDecision } from './edit-soa';
import { soaForReport } from './soa-for-report';
import { frameworkCoverage } from './coverage';

// The Statement of Applicability: every requirement's decision per organization and framework, a justification for
// every exclusion, versions approved by an owner or admin (audited, immutable), and each requirement's status by the
// vocabulary of lib/analysis/frameworks/compliance-status.ts.

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const ISO = 'iso27001-2022' as const;
const CIS = 'cis-k8s-1.9' as const;
const iso = FRAMEWORKS.find((f) => f.id === ISO)!;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

async function soaState(organizationId: string) {
  const db = dbFor({ organizationId });
  const [entries, versions, audit] = await Promise.all([db.soaEntry.findMany({ orderBy: { requirementId: 'asc' } }), db.soaVersion.count(), db.auditLog.count()]);
  return { entries, versions, audit };
}

type Person = { user: { id: string }; ctx: OrgContext };
let acme: { id: string; slug: string };
let owner: Person;
let admin: Person;
let member: Person;
let auditor: Person;
let globexOwner: Person;

beforeAll(async () => {
  acme = await createOrg();
  owner = await createMember(acme, 'OWNER');
  admin = await createMember(acme, 'ADMIN');
  member = await createMember(acme, 'MEMBER');
  auditor = await createMember(acme, 'AUDITOR');
  const globex = await createOrg();
  globexOwner = await createMember(globex, 'OWNER');
});

describe('Statement of Applicability', () => {
  it('starts with every requirement applicable and undecided; without clusters nothing is assessed (no "not applicable")', async () => {
    const soa = await getSoa(auditor.ctx, ISO);
    expect(soa.requirements).toHaveLength(iso.requirements.length);
    expect(soa.requirements.every((r) => r.applicability === 'applicable' && !r.decided && r.owner === null)).toBe(true);
    // The requirements Bulwark's controls assess are marked so; people and premises controls are not, but applicable.
    expect(soa.requirements.find((r) => r.requirementId === 'A.8.2')).toMatchObject({ assessedByBulwark: true, status: 'not_assessed' });
    expect(soa.requirements.find((r) => r.requirementId === 'A.7.1')).toMatchObject({ assessedByBulwark: false, applicability: 'applicable', status: 'not_assessed' });
    expect(soa.summary).toMatchObject({ assessed: 0, automatedScore: null, notAssessed: iso.requirements.length, excluded: 0 });
    expect(soa.coverage).toBe(`no requirements assessed automatically; ${iso.requirements.length} not assessed`);
    expect(soa).toMatchObject({ changed: [], latest: null, versions: [] });
  });

  it('refuses an exclusion or a provider responsibility without a justification: 400 naming the field, nothing written', async () => {
    const before = await soaState(acme.id);
    for (const justification of [undefined, '', '   ']) {
      const error = await failure(setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.7.1', applicability: 'excluded', justification }));
      expect(error.status).toBe(400);
      expect(error.issues).toEqual([{ path: 'justification', message: 'A justification is required to exclude a requirement' }]);
    }
    const provider = await failure(setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.7.1', applicability: 'provider_responsibility' }));
    expect(provider.issues[0]).toMatchObject({ path: 'justification' });
    expect(await soaState(acme.id)).toEqual(before);
    // The database refuses it too, whatever the code above it does.
    await expect(dbFor({ organizationId: acme.id }).soaEntry.create({ data: { organizationId: acme.id, frameworkId: ISO, requirementId: 'A.7.1', applicability: 'excluded', justification: ' ', decidedByLabel: 'x' } })).rejects.toThrow(/SoaEntry_justified/);
    // Unknown requirements, members who can't own, and roles that may not decide are refused too.
    expect((await failure(setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.99.9', applicability: 'applicable' }))).status).toBe(404);
    const notOwner = await failure(setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'applicable', ownerUserId: auditor.user.id }));
    expect(notOwner).toMatchObject({ status: 400, issues: [{ path: 'ownerUserId' }] });
    for (const who of [member, auditor]) {
      expect((await failure(setSoaDecision(who.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'applicable' }))).status).toBe(403);
      expect((await failure(approveSoaVersion(who.ctx, { frameworkId: ISO }))).status).toBe(403);
    }
    expect(await soaState(acme.id)).toEqual(before);
  });

  it('records decisions in a draft, approves them as audited, immutable versions, and reports the version in force', async () => {
    const applicable = await setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'applicable', implementationStatus: 'in_progress', ownerUserId: member.user.id });
    expect(applicable).toMatchObject({ decided: true, owner: { userId: member.user.id }, implementationStatus: 'in_progress', decidedBy: { userId: admin.user.id } });
    await setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.7.1', applicability: 'excluded', justification: '  We run no premises: all workloads are in a cloud region.  ' });
    const draft = await getSoa(auditor.ctx, ISO);
    expect(draft.changed).toEqual(['A.5.1', 'A.7.1']);
    expect(draft.requirements.find((r) => r.requirementId === 'A.7.1')).toMatchObject({ applicability: 'excluded', status: 'excluded', justification: 'We run no premises: all workloads are in a cloud region.' });
    expect(draft.summary.excluded).toBe(1);

    const v1 = await approveSoaVersion(owner.ctx, { frameworkId: ISO, note: 'First SoA for the 2027 audit' });
    expect(v1).toMatchObject({ version: 1, note: 'First SoA for the 2027 audit', approvedBy: { userId: owner.user.id }, changed: ['A.5.1', 'A.7.1'] });
    const audit = await dbFor({ organizationId: acme.id }).auditLog.findMany({ where: { action: { startsWith: 'soa.' } }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => [a.action, a.targetId])).toEqual([['soa.decision.update', `${ISO}:A.5.1`], ['soa.decision.update', `${ISO}:A.7.1`], ['soa.version.approve', v1.id]]);
    expect(audit[2]).toMatchObject({ actorId: owner.user.id, after: { version: 1, digest: v1.digest, note: 'First SoA for the 2027 audit' } });
    // Nothing changed: no new version.
    expect(await failure(approveSoaVersion(owner.ctx, { frameworkId: ISO }))).toMatchObject({ status: 409, message: expect.stringMatching(/Nothing changed since version 1/) });

    // The version is a record: the tenant role can neither change nor remove it.
    await expect(dbFor({ organizationId: acme.id }).soaVersion.updateMany({ where: { id: v1.id }, data: { note: 'rewritten' } })).rejects.toThrow(/permission denied/);
    await expect(dbFor({ organizationId: acme.id }).soaVersion.deleteMany({ where: { id: v1.id } })).rejects.toThrow(/permission denied/);

    // A later edit changes the draft, not version 1; the report in between still reads version 1.
    const betweenVersions = new Date();
    await setSoaDecision(admin.ctx, { frameworkId: ISO, requirementId: 'A.7.1', applicability: 'applicable' });
    const stored = await getSoaVersion(auditor.ctx, v1.id);
    expect(stored.decisions.find((d) => d.requirementId === 'A.7.1')).toMatchObject({ applicability: 'excluded', justification: 'We run no premises: all workloads are in a cloud region.' });
    expect(stored.decisions).toHaveLength(iso.requirements.length);
    expect((await getSoa(owner.ctx, ISO)).changed).toEqual(['A.7.1']);
    const v2 = await approveSoaVersion(admin.ctx, { frameworkId: ISO });
    expect(v2.version).toBe(2);

    const report = await soaForReport(auditor.ctx, ISO, betweenVersions);
    expect(report).toMatchObject({ draft: false, version: { version: 1 }, unapprovedChanges: ['A.7.1'] });
    expect(report.requirements.find((r) => r.requirementId === 'A.7.1')).toMatchObject({ status: 'excluded', justification: 'We run no premises: all workloads are in a cloud region.' });
    expect(report.requirements.find((r) => r.requirementId === 'A.5.1')).toMatchObject({ owner: { userId: member.user.id }, implementationStatus: 'in_progress', status: 'not_assessed' });
    const now = await soaForReport(auditor.ctx, ISO);
    expect(now).toMatchObject({ draft: false, version: { version: 2 }, unapprovedChanges: [] });
    expect((await getSoa(auditor.ctx, ISO)).versions.map((v) => v.version)).toEqual([2, 1]);
    // Before any approval of another framework, a report gets the draft, flagged.
    expect(await soaForReport(auditor.ctx, CIS)).toMatchObject({ draft: true, version: null });
  });

  it('is invisible to another organization: its members get 404 for the org and its versions, and see only their own SoA', async () => {
    const { versions } = await getSoa(owner.ctx, ISO);
    const v1 = versions.at(-1)!;
    // A member of Globex opening Acme's pages or actions: no membership, the same 404 as no such organization.
    expect(await resolveSessionMembership({ userId: globexOwner.user.id, connectionId: null }, acme.slug)).toEqual({ kind: 'not_found' });
    // Within their own organization, Acme's version id is not found, and nothing of Acme's SoA shows.
    expect((await failure(getSoaVersion(globexOwner.ctx, v1.id))).status).toBe(404);
    const theirs = await getSoa(globexOwner.ctx, ISO);
    expect(theirs.requirements.every((r) => !r.decided)).toBe(true);
    expect(theirs.versions).toEqual([]);
    expect(await dbFor(globexOwner.ctx).soaEntry.count()).toBe(0);
    // Acme's member can't be made the owner of a Globex requirement, and Globex's decisions stay Globex's.
    expect((await failure(setSoaDecision(globexOwner.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'applicable', ownerUserId: member.user.id }))).issues[0]).toMatchObject({ path: 'ownerUserId' });
    await setSoaDecision(globexOwner.ctx, { frameworkId: ISO, requirementId: 'A.5.1', applicability: 'excluded', justification: 'Globex reasons' });
    expect((await getSoa(owner.ctx, ISO)).requirements.find((r) => r.requirementId === 'A.5.1')).toMatchObject({ applicability: 'applicable', owner: { userId: member.user.id } });
    expect(await systemDb().soaEntry.count({ where: { organizationId: acme.id } })).toBe(2);
  });

  it('computes each requirement\'s status on a real evaluated cluster: failed, passed, accepted risk, excluded, provider, evidence provided or missing, not assessed', async () => {
    expect(listRequirementControls(CIS).get('5.2.2')).toEqual(['workload.privileged-container']);
    const fx = await orgWithFindings(['web', 'api']);
    const boss = await createMember(fx.org, 'OWNER');
    const second = await createMember(fx.org, 'ADMIN');
    const status = async (id: string) => (await getSoa(boss.ctx, CIS)).requirements.find((r) => r.requirementId === id);

    const soa = await getSoa(boss.ctx, CIS);
    // Privileged Deployments run on the only cluster: the privileged-container item fails.
    expect(soa.requirements.find((r) => r.requirementId === '5.2.2')).toMatchObject({ automated: 'fail', status: 'failed' });
    const statuses = new Set(soa.requirements.map((r) => r.status));
    expect(statuses.has('passed')).toBe(true);
    // CIS manual items are applicable and not assessed by Bulwark (never "not applicable").
    const manual = soa.requirements.filter((r) => r.assessment === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    expect(manual.every((r) => r.status === 'not_assessed')).toBe(true);
    expect(soa.summary.assessed).toBeGreaterThan(0);
    expect(soa.coverage).toMatch(/^automated \d+(\.\d)?% of \d+ assessed items; \d+ not assessed$/);
    expect(soa.summary.assessed + soa.summary.notAssessed).toBe(soa.requirements.length);
    expect((await frameworkCoverage(boss.ctx, [CIS]))[0]).toMatchObject({ frameworkId: CIS, coverage: soa.coverage });

    // The SoA decides first: an excluded or provider's requirement is that, whatever the cluster says.
    await setSoaDecision(boss.ctx, { frameworkId: CIS, requirementId: '5.2.2', applicability: 'excluded', justification: 'Legacy storage nodes, isolated network' });
    expect(await status('5.2.2')).toMatchObject({ automated: 'fail', status: 'excluded' });
    await setSoaDecision(boss.ctx, { frameworkId: CIS, requirementId: '5.2.2', applicability: 'provider_responsibility', justification: 'Managed node pool' });
    expect(await status('5.2.2')).toMatchObject({ status: 'provider_responsibility' });
    await setSoaDecision(boss.ctx, { frameworkId: CIS, requirementId: '5.2.2', applicability: 'applicable' });
    expect(await status('5.2.2')).toMatchObject({ status: 'failed' });

    // Both findings risk-accepted by a second admin: passed with accepted risk.
    for (const name of ['web', 'api']) {
      const request = await requestRiskAcceptance(boss.ctx, { findingId: fx.byName(name).id, justification: 'The storage driver needs privileged mode until Q3.', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
      await decideRiskAcceptance(second.ctx, { riskAcceptanceId: request.id, decision: 'approve' });
    }
    expect(await status('5.2.2')).toMatchObject({ automated: 'accepted', status: 'passed_with_accepted_risk' });

    // Evidence (rows as the evidence room writes them): accepted and valid -> provided; expired or requested -> missing.
    const DAY = 86_400_000;
    const evidence = (requirementId: string, validUntil: Date) => fx.db.evidenceItem.create({ data: {
      organizationId: fx.org.id, frameworkId: ISO, requirementId, kind: 'attestation', title: `Evidence for ${requirementId}`, attestation: 'Signed by the CISO.',
      collectedAt: new Date(validUntil.getTime() - 400 * DAY), validUntil, uploadedById: boss.user.id, uploadedByLabel: 'boss',
      status: 'accepted', reviewedById: second.user.id, reviewedByLabel: 'second', reviewedAt: new Date(validUntil.getTime() - 399 * DAY),
    } });
    const isoStatus = async (id: string) => (await getSoa(boss.ctx, ISO)).requirements.find((r) => r.requirementId === id);
    await evidence('A.5.1', new Date(Date.now() + 30 * DAY));
    await evidence('A.5.2', new Date(Date.now() - DAY));
    await fx.db.evidenceRequest.create({ data: { organizationId: fx.org.id, frameworkId: ISO, requirementId: 'A.5.3', message: 'Segregation of duties, please', dueDate: new Date(Date.now() + 7 * DAY), askedByLabel: 'auditor' } });
    expect(await isoStatus('A.5.1')).toMatchObject({ evidence: 'current', status: 'evidence_provided' });
    expect(await isoStatus('A.5.2')).toMatchObject({ evidence: 'expired', status: 'evidence_missing' });
    expect(await isoStatus('A.5.3')).toMatchObject({ evidence: 'requested', status: 'evidence_missing' });
    // A partly manual requirement whose controls pass does not pass on its automated half when its evidence expired.
    const partial = (await getSoa(boss.ctx, ISO)).requirements.find((r) => r.assessment === 'partial' && r.automated === 'pass' && r.evidence === 'none');
    expect(partial).toBeDefined();
    await evidence(partial!.requirementId, new Date(Date.now() - DAY));
    expect(await isoStatus(partial!.requirementId)).toMatchObject({ automated: 'pass', status: 'evidence_missing' });
    const iso = await getSoa(boss.ctx, ISO);
    expect(iso.summary).toMatchObject({ withEvidence: 1, evidenceMissing: 3 });
    expect(iso.coverage).toMatch(/; 1 with evidence; 3 with evidence missing or expired; \d+ not assessed$/);

    // Fixed on the cluster: passed.
    await fx.evaluate(2, [...baseObjects(), app('web', false)]);
    expect(await status('5.2.2')).toMatchObject({ automated: 'pass', status: 'passed' });
  });
});
