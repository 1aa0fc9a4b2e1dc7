import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { resetEnvForTests } from '@/lib/platform/env';
import type { AppError } from '@/lib/platform/errors';
import { createMember, createOrg } from '@/lib/testing/factories';
import { addEvidence, evidenceFile, listEvidence, reviewEvidence, withdrawEvidence } from './evidence';
import { evidenceStates } from './evidence-state';
import { evidenceForReport } from './evidence-for-report';
import { remindExpiringEvidence } from './expiry';
import { closeEvidenceRequest, commentOnEvidenceRequest, listEvidenceRequests, requestEvidence } from './requests';

afterAll(() => disconnectDb());

const ISO = 'iso27001-2022';
const DAY = 86_400_000;
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const TEXT = new TextEncoder().encode('Backups restored on 2026-11-02 by the on-call engineer.\n');
const HTML = new TextEncoder().encode('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
const GZIP = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

const dates = (collected = new Date(Date.now() - DAY), validDays = 365) => ({
  collectedAt: collected.toISOString(), validUntil: new Date(collected.getTime() + validDays * DAY).toISOString(),
});
const fileInput = (requirementId: string, title = 'Information security policy') => ({ frameworkId: ISO, requirementId, kind: 'file' as const, title, ...dates() });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try { await promise; } catch (error) { return error as AppError; }
  throw new Error('expected a rejection');
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvForTests();
}

let org: { id: string; slug: string };
let owner: Awaited<ReturnType<typeof createMember>>;
let admin: Awaited<ReturnType<typeof createMember>>;
let member: Awaited<ReturnType<typeof createMember>>;
let auditor: Awaited<ReturnType<typeof createMember>>;
let viewer: Awaited<ReturnType<typeof createMember>>;

beforeAll(async () => {
  org = await createOrg();
  owner = await createMember(org, 'OWNER');
  admin = await createMember(org, 'ADMIN');
  member = await createMember(org, 'MEMBER');
  auditor = await createMember(org, 'AUDITOR');
  viewer = await createMember(org, 'VIEWER');
});

describe('four eyes', () => {
  it('refuses the uploader accepting their own evidence (403, nothing changes); another admin accepts it', async () => {
    const item = await addEvidence(owner.ctx, fileInput('A.5.1'), { name: 'policy.pdf', bytes: PDF });
    expect(item).toMatchObject({ status: 'pending', kind: 'file', contentType: 'application/pdf', fileName: 'policy.pdf', sizeBytes: PDF.byteLength, ownerUserId: owner.user.id });

    const refused = await rejection(reviewEvidence(owner.ctx, { evidenceId: item.id, decision: 'accepted' }));
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('four eyes');
    const after = await systemDb().evidenceItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(after).toMatchObject({ status: 'pending', reviewedById: null, reviewedAt: null });
    expect((await evidenceStates(owner.ctx, ISO)).get('A.5.1')).toBeUndefined();

    // Members may upload but not review; auditors neither review.
    expect((await rejection(reviewEvidence(member.ctx, { evidenceId: item.id, decision: 'accepted' }))).status).toBe(403);
    expect((await rejection(reviewEvidence(auditor.ctx, { evidenceId: item.id, decision: 'accepted' }))).status).toBe(403);

    const accepted = await reviewEvidence(admin.ctx, { evidenceId: item.id, decision: 'accepted' });
    expect(accepted).toMatchObject({ status: 'accepted', reviewedByLabel: admin.user.email });
    expect((await evidenceStates(viewer.ctx, ISO)).get('A.5.1')).toBe('current');
    expect((await rejection(reviewEvidence(owner.ctx, { evidenceId: item.id, decision: 'rejected', note: 'late' }))).status).toBe(403);
  });

  it('holds in the database too: a reviewer equal to the uploader violates a CHECK constraint', async () => {
    const item = await addEvidence(admin.ctx, { ...fileInput('A.5.2'), kind: 'attestation', attestation: 'Roles are assigned in the HR system.' });
    await expect(dbFor(admin.ctx).evidenceItem.update({
      where: { id: item.id }, data: { status: 'accepted', reviewedById: admin.user.id, reviewedByLabel: admin.user.email, reviewedAt: new Date() },
    })).rejects.toThrow(/EvidenceItem_four_eyes/);
    expect((await systemDb().evidenceItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe('pending');
  });
});

describe('file types by their bytes', () => {
  it('stores a PDF named .png as a PDF (named .png.pdf), and accepts PNG and plain text', async () => {
    const disguised = await addEvidence(member.ctx, fileInput('A.5.3'), { name: 'scan.png', bytes: PDF });
    expect(disguised).toMatchObject({ contentType: 'application/pdf', fileName: 'scan.png.pdf' });
    expect((await addEvidence(member.ctx, fileInput('A.5.3'), { name: 'screenshot.png', bytes: PNG })).contentType).toBe('image/png');
    expect((await addEvidence(member.ctx, fileInput('A.5.3'), { name: '../../restore-log.txt', bytes: TEXT }))).toMatchObject({ contentType: 'text/plain', fileName: 'restore-log.txt' });
  });

  it('refuses HTML, SVG and other formats with a 400 that says what was found, and writes nothing', async () => {
    const before = await systemDb().evidenceItem.count({ where: { organizationId: org.id } });
    for (const [name, bytes, found] of [['policy.pdf', HTML, 'HTML'], ['logo.png', SVG, 'svg'], ['notes.txt', GZIP, 'gzip']] as const) {
      const error = await rejection(addEvidence(member.ctx, fileInput('A.5.3'), { name, bytes }));
      expect(error.status).toBe(400);
      expect(error.message).toMatch(new RegExp(found, 'i'));
      expect(error.message).toContain('Upload a PDF, a PNG or JPEG image, or plain UTF-8 text');
    }
    expect(await systemDb().evidenceItem.count({ where: { organizationId: org.id } })).toBe(before);
  });

  it('refuses a link that is not https and an attestation without text (400 naming the field)', async () => {
    const link = await rejection(addEvidence(member.ctx, { ...fileInput('A.5.4'), kind: 'link', url: 'http://wiki.example.test/policy' }));
    expect(link.status).toBe(400);
    expect(link.issues.map((i) => i.path)).toContain('url');
    expect((await addEvidence(member.ctx, { ...fileInput('A.5.4'), kind: 'link', url: 'https://wiki.example.test/policy' })).url).toBe('https://wiki.example.test/policy');
    const attestation = await rejection(addEvidence(member.ctx, { ...fileInput('A.5.4'), kind: 'attestation', attestation: '   ' }));
    expect(attestation.issues.map((i) => i.path)).toContain('attestation');
  });

  it('refuses viewers and auditors uploading (403)', async () => {
    for (const who of [viewer, auditor]) expect((await rejection(addEvidence(who.ctx, fileInput('A.5.4'), { name: 'a.txt', bytes: TEXT }))).status).toBe(403);
  });
});

describe('size limits', () => {
  afterAll(() => setEnv({ EVIDENCE_MAX_FILE_BYTES: undefined, EVIDENCE_MAX_ORG_BYTES: undefined }));

  it('refuses a file over EVIDENCE_MAX_FILE_BYTES (413) and an upload past the organization\'s EVIDENCE_MAX_ORG_BYTES (413), writing nothing', async () => {
    const small = await createOrg();
    const uploader = await createMember(small, 'ADMIN');
    setEnv({ EVIDENCE_MAX_FILE_BYTES: '100', EVIDENCE_MAX_ORG_BYTES: '150' });
    const big = new TextEncoder().encode('x'.repeat(101));
    const tooBig = await rejection(addEvidence(uploader.ctx, fileInput('A.5.1'), { name: 'big.txt', bytes: big }));
    expect(tooBig.status).toBe(413);
    expect(tooBig.message).toContain('at most 100 B');

    await addEvidence(uploader.ctx, fileInput('A.5.1'), { name: 'first.txt', bytes: new TextEncoder().encode('y'.repeat(100)) });
    const full = await rejection(addEvidence(uploader.ctx, fileInput('A.5.1'), { name: 'second.txt', bytes: new TextEncoder().encode('z'.repeat(60)) }));
    expect(full.status).toBe(413);
    expect(full.message).toContain('over its limit of 150 B (100 B used)');
    expect(await systemDb().evidenceItem.count({ where: { organizationId: small.id } })).toBe(1);
    expect(await systemDb().evidenceBlob.count({ where: { organizationId: small.id } })).toBe(1);
    // Links and attestations take no storage: still accepted.
    await addEvidence(uploader.ctx, { ...fileInput('A.5.1'), kind: 'link', url: 'https://example.test/x' });
  });
});

describe('withdrawing', () => {
  it('lets the uploader withdraw pending evidence (bytes and review notice gone), an admin clear rejected evidence, and keeps accepted evidence (409)', async () => {
    const pending = await addEvidence(member.ctx, fileInput('A.5.6', 'Draft'), { name: 'draft.txt', bytes: TEXT });
    const notice = { organizationId: org.id, type: 'evidence.review', link: `/o/${org.slug}/controls/requirements/${ISO}/A.5.6#evidence-${pending.id}` };
    expect(await systemDb().notification.count({ where: { ...notice, readAt: null } })).toBe(2);
    const other = await createMember(org, 'MEMBER');
    expect((await rejection(withdrawEvidence(other.ctx, { evidenceId: pending.id }))).status).toBe(403);
    expect((await rejection(withdrawEvidence(admin.ctx, { evidenceId: pending.id }))).status).toBe(403);
    await withdrawEvidence(member.ctx, { evidenceId: pending.id });
    expect(await systemDb().evidenceItem.count({ where: { id: pending.id } })).toBe(0);
    expect(await systemDb().evidenceBlob.count({ where: { evidenceId: pending.id } })).toBe(0);
    expect(await systemDb().notification.count({ where: { ...notice, readAt: null } })).toBe(0);
    expect(await systemDb().auditLog.count({ where: { organizationId: org.id, action: 'evidence.withdraw', targetId: pending.id } })).toBe(1);

    const rejected = await addEvidence(member.ctx, fileInput('A.5.6', 'Wrong file'), { name: 'wrong.txt', bytes: TEXT });
    await reviewEvidence(admin.ctx, { evidenceId: rejected.id, decision: 'rejected', note: 'Not the policy' });
    await withdrawEvidence(owner.ctx, { evidenceId: rejected.id });
    expect(await systemDb().evidenceItem.count({ where: { id: rejected.id } })).toBe(0);

    const kept = await addEvidence(member.ctx, fileInput('A.5.6', 'Policy'), { name: 'policy.pdf', bytes: PDF });
    await reviewEvidence(admin.ctx, { evidenceId: kept.id, decision: 'accepted' });
    expect((await rejection(withdrawEvidence(member.ctx, { evidenceId: kept.id }))).status).toBe(409);
  });
});

describe('downloads', () => {
  it('serve the bytes to members who may read evidence, not to viewers; another organization gets 404', async () => {
    const item = await addEvidence(member.ctx, fileInput('A.5.5'), { name: 'runbook.txt', bytes: TEXT });
    for (const who of [owner, admin, member, auditor]) {
      const file = await evidenceFile(who.ctx, item.id);
      expect(file).toMatchObject({ fileName: 'runbook.txt', contentType: 'text/plain' });
      expect(Buffer.from(file.bytes).equals(Buffer.from(TEXT))).toBe(true);
    }
    expect((await rejection(evidenceFile(viewer.ctx, item.id))).status).toBe(403);
    const other = await createMember(await createOrg(), 'OWNER');
    expect((await rejection(evidenceFile(other.ctx, item.id))).status).toBe(404);
    expect(await systemDb().auditLog.count({ where: { organizationId: org.id, action: 'evidence.download', targetId: item.id } })).toBe(4);
  });

  it('lists evidence without loading its bytes', async () => {
    const items = await listEvidence(viewer.ctx, ISO, 'A.5.5');
    expect(items[0]).toMatchObject({ fileName: 'runbook.txt', status: 'pending' });
    expect(Object.keys(items[0]!)).not.toContain('data');
  });
});

describe('expiry', () => {
  it('reminds the owner once 14 days before validUntil, and the state turns to expired after', async () => {
    const now = new Date();
    const item = await addEvidence(member.ctx, { frameworkId: ISO, requirementId: 'A.6.3', kind: 'attestation', title: 'Awareness training', attestation: 'All staff trained in October.', collectedAt: new Date(now.getTime() - 300 * DAY).toISOString(), validUntil: new Date(now.getTime() + 20 * DAY).toISOString() });
    await reviewEvidence(admin.ctx, { evidenceId: item.id, decision: 'accepted' });
    const reminders = () => systemDb().notification.findMany({ where: { organizationId: org.id, userId: member.user.id, type: 'evidence.expiring' } });

    await remindExpiringEvidence(now);
    expect(await reminders()).toHaveLength(0);
    const in7Days = new Date(now.getTime() + 7 * DAY);
    expect(await remindExpiringEvidence(in7Days)).toBeGreaterThanOrEqual(1);
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.title).toContain('Evidence for A.6.3 expires on');
    expect(sent[0]!.link).toBe(`/o/${org.slug}/controls/requirements/${ISO}/A.6.3`);
    await remindExpiringEvidence(new Date(now.getTime() + 10 * DAY));
    expect(await reminders()).toHaveLength(1);

    expect((await evidenceStates(member.ctx, ISO, in7Days)).get('A.6.3')).toBe('current');
    expect((await evidenceStates(member.ctx, ISO, new Date(now.getTime() + 21 * DAY))).get('A.6.3')).toBe('expired');
    expect((await listEvidence(member.ctx, ISO, 'A.6.3', new Date(now.getTime() + 21 * DAY)))[0]!.expired).toBe(true);
    const listed = (at: Date) => evidenceForReport(viewer.ctx, ISO, at).then((rows) => rows.filter((r) => r.requirementId === 'A.6.3'));
    expect(await listed(new Date(now.getTime() - DAY))).toEqual([]);
    expect(await listed(in7Days)).toEqual([expect.objectContaining({ title: 'Awareness training', current: true, reviewedByLabel: admin.user.email, uploadedByLabel: member.user.email })]);
    expect((await listed(new Date(now.getTime() + 21 * DAY)))[0]!.current).toBe(false);
  });
});

describe('evidence requests and evidenceStates', () => {
  it('goes to the SoA owner or the member named, keeps a thread, and closes when evidence is accepted', async () => {
    const due = new Date(Date.now() + 14 * DAY).toISOString();
    const unowned = await rejection(requestEvidence(auditor.ctx, { frameworkId: ISO, requirementId: 'A.7.1', message: 'Physical perimeter evidence', dueDate: due }));
    expect(unowned.status).toBe(400);
    expect(unowned.issues.map((i) => i.path)).toContain('assigneeUserId');
    expect((await rejection(requestEvidence(member.ctx, { frameworkId: ISO, requirementId: 'A.7.1', message: 'x', dueDate: due, assigneeUserId: member.user.id }))).status).toBe(403);

    await systemDb().soaEntry.create({ data: { organizationId: org.id, frameworkId: ISO, requirementId: 'A.7.1', applicability: 'applicable', ownerUserId: member.user.id, decidedByLabel: 'test' } });
    const request = await requestEvidence(auditor.ctx, { frameworkId: ISO, requirementId: 'A.7.1', message: 'Physical perimeter evidence, please', dueDate: due });
    expect(request).toMatchObject({ status: 'open', assigneeUserId: member.user.id, askedByLabel: auditor.user.email });
    expect(await systemDb().notification.count({ where: { userId: member.user.id, type: 'evidence_request.new' } })).toBe(1);
    expect((await evidenceStates(member.ctx, ISO)).get('A.7.1')).toBe('requested');

    await commentOnEvidenceRequest(member.ctx, { requestId: request.id, body: 'The landlord sends the access logs on Friday.' });
    expect(await systemDb().notification.count({ where: { userId: auditor.user.id, type: 'evidence_request.comment' } })).toBe(1);
    expect((await rejection(commentOnEvidenceRequest(viewer.ctx, { requestId: request.id, body: 'hi' }))).status).toBe(403);
    expect((await rejection(closeEvidenceRequest(admin.ctx, { requestId: request.id }))).status).toBe(403);

    const item = await addEvidence(member.ctx, fileInput('A.7.1', 'Access logs'), { name: 'access.pdf', bytes: PDF });
    expect((await evidenceStates(member.ctx, ISO)).get('A.7.1')).toBe('requested');
    await reviewEvidence(owner.ctx, { evidenceId: item.id, decision: 'accepted' });
    const [closed] = await listEvidenceRequests(viewer.ctx, ISO, 'A.7.1');
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'accepted', evidenceId: item.id });
    expect(closed!.comments.map((c) => c.body)).toEqual(['The landlord sends the access logs on Friday.']);
    expect(await systemDb().notification.count({ where: { userId: auditor.user.id, type: 'evidence_request.fulfilled' } })).toBe(1);
    expect((await evidenceStates(member.ctx, ISO)).get('A.7.1')).toBe('current');
  });

  it('says requested over expired, ignores pending and rejected evidence, and lets the asker close a request', async () => {
    const now = new Date();
    const old = await addEvidence(member.ctx, { frameworkId: ISO, requirementId: 'A.8.1', kind: 'attestation', title: 'Old', attestation: 'Old attestation', collectedAt: new Date(now.getTime() - 400 * DAY).toISOString(), validUntil: new Date(now.getTime() - DAY).toISOString() });
    await reviewEvidence(admin.ctx, { evidenceId: old.id, decision: 'accepted' });
    const rejected = await addEvidence(member.ctx, { ...fileInput('A.8.2'), kind: 'link', url: 'https://example.test/r' });
    expect((await rejection(reviewEvidence(admin.ctx, { evidenceId: rejected.id, decision: 'rejected' }))).issues.map((i) => i.path)).toContain('note');
    await reviewEvidence(admin.ctx, { evidenceId: rejected.id, decision: 'rejected', note: 'Link is to a draft' });
    await addEvidence(member.ctx, { ...fileInput('A.8.3'), kind: 'link', url: 'https://example.test/p' });

    let states = await evidenceStates(member.ctx, ISO, now);
    expect([states.get('A.8.1'), states.get('A.8.2'), states.get('A.8.3')]).toEqual(['expired', undefined, undefined]);
    const request = await requestEvidence(admin.ctx, { frameworkId: ISO, requirementId: 'A.8.1', message: 'Renew please', dueDate: new Date(now.getTime() + 7 * DAY).toISOString(), assigneeUserId: member.user.id });
    states = await evidenceStates(member.ctx, ISO, now);
    expect(states.get('A.8.1')).toBe('requested');
    await closeEvidenceRequest(admin.ctx, { requestId: request.id });
    expect((await evidenceStates(member.ctx, ISO, now)).get('A.8.1')).toBe('expired');
    expect((await rejection(closeEvidenceRequest(admin.ctx, { requestId: request.id }))).status).toBe(409);
  });

  it('keeps each organization\'s evidence to itself', async () => {
    const other = await createMember(await createOrg(), 'OWNER');
    expect((await evidenceStates(other.ctx, ISO)).size).toBe(0);
    expect(await listEvidence(other.ctx, ISO, 'A.5.1')).toEqual([]);
  });
});

describe('object storage', () => {
  let server: S3rver;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bulwark-s3-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'evidence', configs: [] }] });
    const { port } = await server.run();
    setEnv({ EVIDENCE_STORAGE_URL: `s3://evidence/bulwark?region=us-east-1&endpoint=http://127.0.0.1:${port}&forcePathStyle=true`, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  });
  afterAll(async () => {
    setEnv({ EVIDENCE_STORAGE_URL: undefined });
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps files in the bucket (no bytes in Postgres) and serves them back; Postgres-stored files stay readable', async () => {
    const item = await addEvidence(member.ctx, fileInput('A.5.9', 'Asset inventory'), { name: 'inventory.png', bytes: PNG });
    const row = await systemDb().evidenceItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(row).toMatchObject({ storage: 's3', storageKey: `bulwark/${org.id}/${item.id}` });
    expect(await systemDb().evidenceBlob.count({ where: { evidenceId: item.id } })).toBe(0);
    // The object is in the bucket under its key (s3rver does not check signatures, so a plain GET shows it).
    const endpoint = new URL(process.env.EVIDENCE_STORAGE_URL!).searchParams.get('endpoint')!;
    const object = await fetch(`${endpoint}/evidence/bulwark/${org.id}/${item.id}`);
    expect(Buffer.from(await object.arrayBuffer()).equals(PNG)).toBe(true);
    const file = await evidenceFile(auditor.ctx, item.id);
    expect(Buffer.from(file.bytes).equals(PNG)).toBe(true);

    const earlier = (await listEvidence(member.ctx, ISO, 'A.5.5')).find((i) => i.fileName === 'runbook.txt')!;
    expect(Buffer.from((await evidenceFile(member.ctx, earlier.id)).bytes).equals(Buffer.from(TEXT))).toBe(true);
  });
});
