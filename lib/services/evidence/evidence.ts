import { createHash, randomUUID } from 'node:crypto';
import { authorize, can } from '../../platform/auth/permissions';
import { actorLabel, requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { advisoryXactLock } from '../../platform/db/locks';
import { env } from '../../platform/env';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { approverIds, notifyUsers, resolveNotifications } from '../notifications/notify';
import { evidenceFileName, sniffEvidenceType } from './content-type';
import { assertWorkingMember, requirementOrNotFound, requirementPath } from './requirements';
import { AddEvidenceSchema, ReviewEvidenceSchema, WithdrawEvidenceSchema, type AddEvidenceInput, type EvidenceKind, type EvidenceStatus, type ReviewEvidenceInput, type WithdrawEvidenceInput } from './schemas';
import { storeFor, uploadStore } from './storage';

/** One piece of evidence as lists show it: never its bytes. */
export type EvidenceItemView = {
  id: string;
  frameworkId: string;
  requirementId: string;
  kind: EvidenceKind;
  title: string;
  fileName: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  url: string | null;
  attestation: string | null;
  ownerUserId: string | null;
  ownerLabel: string | null;
  collectedAt: Date;
  validUntil: Date;
  uploadedById: string | null;
  uploadedByLabel: string;
  status: EvidenceStatus;
  reviewedByLabel: string | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
  /** Accepted and past its validity. */
  expired: boolean;
  createdAt: Date;
};

export const ITEM_SELECT = {
  id: true, frameworkId: true, requirementId: true, kind: true, title: true, fileName: true, contentType: true, sizeBytes: true, sha256: true,
  url: true, attestation: true, ownerUserId: true, collectedAt: true, validUntil: true, uploadedById: true, uploadedByLabel: true,
  status: true, reviewedByLabel: true, reviewedAt: true, reviewNote: true, createdAt: true,
} as const;

type ItemRow = { [K in keyof typeof ITEM_SELECT]: unknown } & { kind: string; status: string; validUntil: Date; ownerUserId: string | null };

export function itemView<R extends ItemRow>(row: R, people: Map<string, string>, now: Date): EvidenceItemView {
  const view = row as unknown as Omit<EvidenceItemView, 'ownerLabel' | 'expired'>;
  return {
    ...view,
    kind: row.kind as EvidenceKind,
    status: row.status as EvidenceStatus,
    ownerLabel: row.ownerUserId ? (people.get(row.ownerUserId) ?? null) : null,
    expired: row.status === 'accepted' && row.validUntil.getTime() <= now.getTime(),
  };
}

/** Display names of the organization's members (name, else email), for owners and assignees. */
export async function memberLabels(tx: TenantTx): Promise<Map<string, string>> {
  const members = await tx.membership.findMany({ select: { userId: true, user: { select: { name: true, email: true } } } });
  return new Map(members.map((m) => [m.userId, m.user.name ?? m.user.email]));
}

/** The review notification's link: the requirement's page at the item, so deciding one item resolves only its own. */
function reviewLink(orgSlug: string, frameworkId: string, requirementId: string, evidenceId: string): string {
  return `${requirementPath(orgSlug, frameworkId, requirementId)}#evidence-${evidenceId}`;
}

export type UploadedFile = { name: string; bytes: Uint8Array };

/**
 * Adds evidence to a requirement: a file (PDF, PNG/JPEG or plain text, by its bytes; at most
 * EVIDENCE_MAX_FILE_BYTES, and the organization's files together at most EVIDENCE_MAX_ORG_BYTES: 413), an https
 * link or a written attestation. It waits for review by someone else (owners and admins are told). Audited.
 */
export async function addEvidence(ctx: OrgContext, input: AddEvidenceInput, file?: UploadedFile): Promise<EvidenceItemView> {
  authorize(ctx, 'evidence.upload');
  const uploaderId = requireUserId(ctx, 'add evidence');
  const data = parseInput(AddEvidenceSchema, input);
  requirementOrNotFound(data.frameworkId, data.requirementId);
  const { EVIDENCE_MAX_FILE_BYTES: maxFile, EVIDENCE_MAX_ORG_BYTES: maxOrg } = env();

  let stored: { name: string; type: string; bytes: Uint8Array; sha256: string } | null = null;
  if (data.kind === 'file') {
    if (!file) throw new AppError('invalid', 'Choose a file to upload', [{ path: 'file', message: 'required' }]);
    if (file.bytes.byteLength > maxFile) {
      throw new AppError('too_large', `The file is ${formatBytes(file.bytes.byteLength)}; evidence files may be at most ${formatBytes(maxFile)}`, [{ path: 'file', message: 'too large' }]);
    }
    const type = await sniffEvidenceType(file.bytes);
    stored = { name: evidenceFileName(file.name, type), type, bytes: file.bytes, sha256: createHash('sha256').update(file.bytes).digest('hex') };
  } else if (file) {
    throw new AppError('invalid', `A ${data.kind} carries no file`, [{ path: 'file', message: 'not expected' }]);
  }

  const id = randomUUID();
  const store = uploadStore();
  let put: { storageKey: string | null } | null = null;
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const ownerUserId = data.ownerUserId ?? uploaderId;
      await assertWorkingMember(tx, ownerUserId, 'ownerUserId');
      if (stored) {
        await advisoryXactLock(tx, 'evidenceQuota', ctx.organizationId);
        const used = (await tx.evidenceItem.aggregate({ where: { kind: 'file' }, _sum: { sizeBytes: true } }))._sum.sizeBytes ?? 0;
        if (used + stored.bytes.byteLength > maxOrg) {
          throw new AppError('too_large', `Your organization's evidence files would take ${formatBytes(used + stored.bytes.byteLength)}, over its limit of ${formatBytes(maxOrg)} (${formatBytes(used)} used)`, [{ path: 'file', message: 'organization storage limit' }]);
        }
      }
      const created = await tx.evidenceItem.create({
        data: {
          id, organizationId: ctx.organizationId, frameworkId: data.frameworkId, requirementId: data.requirementId, kind: data.kind, title: data.title,
          ...(stored ? { fileName: stored.name, contentType: stored.type, sizeBytes: stored.bytes.byteLength, sha256: stored.sha256, storage: store.kind } : {}),
          url: data.kind === 'link' ? data.url : null,
          attestation: data.kind === 'attestation' ? data.attestation : null,
          ownerUserId, collectedAt: data.collectedAt, validUntil: data.validUntil,
          uploadedById: uploaderId, uploadedByLabel: actorLabel(ctx.actor),
        },
        select: ITEM_SELECT,
      });
      if (stored) {
        put = await store.put(tx, { organizationId: ctx.organizationId, evidenceId: id, bytes: stored.bytes, contentType: stored.type });
        if (put.storageKey) await tx.evidenceItem.update({ where: { id }, data: { storageKey: put.storageKey } });
      }
      await writeAudit(tx, ctx, {
        action: 'evidence.add', targetType: 'evidence', targetId: id,
        after: { frameworkId: data.frameworkId, requirementId: data.requirementId, kind: data.kind, title: data.title, fileName: stored?.name, contentType: stored?.type, sizeBytes: stored?.bytes.byteLength, sha256: stored?.sha256, url: created.url, validUntil: data.validUntil.toISOString() },
      });
      const reviewers = (await approverIds(tx)).filter((userId) => userId !== uploaderId);
      await notifyUsers(tx, ctx.organizationId, reviewers, {
        type: 'evidence.review', title: `Evidence for ${data.requirementId} waits for your review: ${data.title}`,
        link: reviewLink(ctx.organizationSlug, data.frameworkId, data.requirementId, id),
      });
      return itemView(created, await memberLabels(tx), new Date());
    });
  } catch (error) {
    if (put) await store.discard({ organizationId: ctx.organizationId, evidenceId: id, storageKey: (put as { storageKey: string | null }).storageKey });
    throw error;
  }
}

/**
 * Accepts or rejects pending evidence (owners and admins). Four eyes: whoever uploaded it cannot decide on it
 * (403, nothing changes; a CHECK constraint holds the same rule). Accepting closes the requirement's open evidence
 * requests (their askers are told); the uploader and owner learn the decision. Audited.
 */
export async function reviewEvidence(ctx: OrgContext, input: ReviewEvidenceInput): Promise<EvidenceItemView> {
  authorize(ctx, 'evidence.review');
  const reviewerId = requireUserId(ctx, 'review evidence');
  const data = parseInput(ReviewEvidenceSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const item = await tx.evidenceItem.findUnique({ where: { id: data.evidenceId }, select: ITEM_SELECT });
    if (!item) throw new AppError('not_found', 'Evidence not found');
    if (item.uploadedById === reviewerId) {
      throw new AppError('forbidden', 'You added this evidence: another owner or admin must review it (four eyes)');
    }
    if (item.status !== 'pending') throw new AppError('conflict', `This evidence was already ${item.status}`);
    const now = new Date();
    const updated = await tx.evidenceItem.update({
      where: { id: item.id },
      data: { status: data.decision, reviewedById: reviewerId, reviewedByLabel: actorLabel(ctx.actor), reviewedAt: now, reviewNote: data.note ?? null },
      select: ITEM_SELECT,
    });
    const link = requirementPath(ctx.organizationSlug, item.frameworkId, item.requirementId);
    await writeAudit(tx, ctx, {
      action: data.decision === 'accepted' ? 'evidence.accept' : 'evidence.reject', targetType: 'evidence', targetId: item.id,
      before: { status: item.status }, after: { status: data.decision, note: data.note ?? null },
    });
    await resolveNotifications(tx, { type: 'evidence.review', link: reviewLink(ctx.organizationSlug, item.frameworkId, item.requirementId, item.id) }, now);
    await notifyUsers(tx, ctx.organizationId, [item.uploadedById, item.ownerUserId].filter((u): u is string => !!u && u !== reviewerId), {
      type: `evidence.${data.decision}`, title: `Evidence for ${item.requirementId} was ${data.decision}: ${item.title}`, link,
    });
    if (data.decision === 'accepted') {
      const open = await tx.evidenceRequest.findMany({ where: { frameworkId: item.frameworkId, requirementId: item.requirementId, status: 'open' }, select: { id: true, askedById: true } });
      if (open.length > 0) {
        await tx.evidenceRequest.updateMany({
          where: { id: { in: open.map((r) => r.id) } },
          data: { status: 'closed', closeReason: 'accepted', closedAt: now, closedById: reviewerId, closedByLabel: actorLabel(ctx.actor), evidenceId: item.id },
        });
        for (const request of open) {
          await writeAudit(tx, ctx, { action: 'evidence_request.close', targetType: 'evidence_request', targetId: request.id, before: { status: 'open' }, after: { status: 'closed', closeReason: 'accepted', evidenceId: item.id } });
        }
        await notifyUsers(tx, ctx.organizationId, open.map((r) => r.askedById).filter((u): u is string => !!u && u !== reviewerId), {
          type: 'evidence_request.fulfilled', title: `Evidence you asked for on ${item.requirementId} was accepted: ${item.title}`, link,
        });
      }
    }
    return itemView(updated, await memberLabels(tx), now);
  });
}

/**
 * Removes evidence that is not on record: its uploader withdraws it while pending or after rejection, or an owner or
 * admin clears a rejected one (freeing the organization's storage). Accepted evidence stays (409): it ends by its
 * validity. Audited with what was removed.
 */
export async function withdrawEvidence(ctx: OrgContext, input: WithdrawEvidenceInput): Promise<{ id: string }> {
  authorize(ctx, 'evidence.upload');
  const userId = requireUserId(ctx, 'withdraw evidence');
  const data = parseInput(WithdrawEvidenceSchema, input);
  const removed = await dbFor(ctx).$transaction(async (tx) => {
    const item = await tx.evidenceItem.findUnique({ where: { id: data.evidenceId }, select: { ...ITEM_SELECT, storage: true, storageKey: true } });
    if (!item) throw new AppError('not_found', 'Evidence not found');
    if (item.status === 'accepted') throw new AppError('conflict', 'Accepted evidence is kept on record: it ends when its validity does');
    const mayClear = item.uploadedById === userId || (item.status === 'rejected' && can(ctx, 'evidence.review'));
    if (!mayClear) throw new AppError('forbidden', item.status === 'rejected' ? 'Only its uploader, an owner or an admin can remove rejected evidence' : 'Only its uploader can withdraw evidence waiting for review');
    await tx.evidenceItem.delete({ where: { id: item.id } });
    await writeAudit(tx, ctx, {
      action: 'evidence.withdraw', targetType: 'evidence', targetId: item.id,
      before: { frameworkId: item.frameworkId, requirementId: item.requirementId, kind: item.kind, title: item.title, status: item.status, fileName: item.fileName, sha256: item.sha256, sizeBytes: item.sizeBytes },
    });
    await resolveNotifications(tx, { type: 'evidence.review', link: reviewLink(ctx.organizationSlug, item.frameworkId, item.requirementId, item.id) });
    return item;
  });
  if (removed.kind === 'file' && removed.storage === 's3') {
    await storeFor('s3').discard({ organizationId: ctx.organizationId, evidenceId: removed.id, storageKey: removed.storageKey });
  }
  return { id: removed.id };
}

/** A requirement's evidence, newest first, without bytes. */
export async function listEvidence(ctx: OrgContext, frameworkId: string, requirementId: string, now: Date = new Date()): Promise<EvidenceItemView[]> {
  authorize(ctx, 'evidence.read');
  requirementOrNotFound(frameworkId, requirementId);
  return dbFor(ctx).$transaction(async (tx) => {
    const rows = await tx.evidenceItem.findMany({ where: { frameworkId, requirementId }, orderBy: { createdAt: 'desc' }, select: ITEM_SELECT });
    const people = await memberLabels(tx);
    return rows.map((row) => itemView(row, people, now));
  });
}

export type EvidenceFile = { fileName: string; contentType: string; bytes: Uint8Array; sha256: string };

/**
 * The bytes of a file evidence (owners, admins, members, auditors; 404 for another organization's or a missing
 * one). Each download is audited. The caller serves it as an attachment, never inline.
 */
export async function evidenceFile(ctx: OrgContext, evidenceId: string): Promise<EvidenceFile> {
  authorize(ctx, 'evidence.download');
  return dbFor(ctx).$transaction(async (tx) => {
    const item = await tx.evidenceItem.findUnique({
      where: { id: evidenceId },
      select: { id: true, kind: true, fileName: true, contentType: true, sha256: true, storage: true, storageKey: true },
    });
    if (!item || item.kind !== 'file' || !item.fileName || !item.contentType || !item.sha256) throw new AppError('not_found', 'Evidence file not found');
    const bytes = await storeFor(item.storage).get(tx, { organizationId: ctx.organizationId, evidenceId: item.id, storageKey: item.storageKey });
    await writeAudit(tx, ctx, { action: 'evidence.download', targetType: 'evidence', targetId: item.id, after: { fileName: item.fileName, sha256: item.sha256 } });
    return { fileName: item.fileName, contentType: item.contentType, bytes, sha256: item.sha256 };
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
