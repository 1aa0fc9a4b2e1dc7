import { authorize } from '../../platform/auth/permissions';
import { actorLabel, requireUserId, type OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { parseInput } from '../../platform/input';
import { writeAudit } from '../audit/write-audit';
import { notifyUsers } from '../notifications/notify';
import { memberLabels } from './evidence';
import { assertWorkingMember, requirementOrNotFound, requirementPath, soaOwnerOf } from './requirements';
import {
  CloseEvidenceRequestSchema, CommentEvidenceRequestSchema, RequestEvidenceSchema,
  type CloseEvidenceRequestInput, type CommentEvidenceRequestInput, type RequestEvidenceInput,
} from './schemas';

export type EvidenceRequestComment = { id: string; authorId: string | null; authorLabel: string; body: string; createdAt: Date };
export type EvidenceRequestView = {
  id: string;
  frameworkId: string;
  requirementId: string;
  message: string;
  dueDate: Date;
  assigneeUserId: string | null;
  assigneeLabel: string | null;
  askedById: string | null;
  askedByLabel: string;
  status: 'open' | 'closed';
  closeReason: 'accepted' | 'closed' | null;
  closedByLabel: string | null;
  closedAt: Date | null;
  evidenceId: string | null;
  overdue: boolean;
  createdAt: Date;
  comments: EvidenceRequestComment[];
};

const REQUEST_SELECT = {
  id: true, frameworkId: true, requirementId: true, message: true, dueDate: true, assigneeUserId: true, askedById: true, askedByLabel: true,
  status: true, closeReason: true, closedByLabel: true, closedAt: true, evidenceId: true, createdAt: true,
  comments: { orderBy: { createdAt: 'asc' as const }, select: { id: true, authorId: true, authorLabel: true, body: true, createdAt: true } },
} as const;

/**
 * An auditor, owner or admin asks for evidence on a requirement, with a due date and a message. It goes to the
 * member named, else to the requirement's owner in the Statement of Applicability; with neither, 400 asks to name
 * one. The addressee is notified; the request stays open until evidence for the requirement is accepted or the
 * asker closes it. Audited.
 */
export async function requestEvidence(ctx: OrgContext, input: RequestEvidenceInput): Promise<EvidenceRequestView> {
  authorize(ctx, 'evidence.request');
  const askerId = requireUserId(ctx, 'ask for evidence');
  const data = parseInput(RequestEvidenceSchema, input);
  requirementOrNotFound(data.frameworkId, data.requirementId);
  return dbFor(ctx).$transaction(async (tx) => {
    const assigneeUserId = data.assigneeUserId ?? (await soaOwnerOf(tx, ctx.organizationId, data.frameworkId, data.requirementId));
    if (!assigneeUserId) {
      throw new AppError('invalid', `${data.requirementId} has no owner in the Statement of Applicability: choose the member to ask`, [{ path: 'assigneeUserId', message: 'required' }]);
    }
    await assertWorkingMember(tx, assigneeUserId, 'assigneeUserId');
    const created = await tx.evidenceRequest.create({
      data: {
        organizationId: ctx.organizationId, frameworkId: data.frameworkId, requirementId: data.requirementId, message: data.message, dueDate: data.dueDate,
        assigneeUserId, askedById: askerId, askedByLabel: actorLabel(ctx.actor),
      },
      select: REQUEST_SELECT,
    });
    await writeAudit(tx, ctx, {
      action: 'evidence_request.create', targetType: 'evidence_request', targetId: created.id,
      after: { frameworkId: data.frameworkId, requirementId: data.requirementId, assigneeUserId, dueDate: data.dueDate.toISOString(), message: data.message },
    });
    if (assigneeUserId !== askerId) {
      await notifyUsers(tx, ctx.organizationId, [assigneeUserId], {
        type: 'evidence_request.new', title: `Evidence requested for ${data.requirementId} by ${data.dueDate.toISOString().slice(0, 10)}: ${data.message}`,
        link: requirementPath(ctx.organizationSlug, data.frameworkId, data.requirementId),
      });
    }
    return requestView(created, await memberLabels(tx), new Date());
  });
}

/** A comment in a request's thread (not by viewers); the asker and the addressee are told, except the author. */
export async function commentOnEvidenceRequest(ctx: OrgContext, input: CommentEvidenceRequestInput): Promise<EvidenceRequestComment> {
  authorize(ctx, 'evidence.comment');
  const authorId = requireUserId(ctx, 'comment');
  const data = parseInput(CommentEvidenceRequestSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const request = await tx.evidenceRequest.findUnique({ where: { id: data.requestId }, select: { id: true, frameworkId: true, requirementId: true, askedById: true, assigneeUserId: true } });
    if (!request) throw new AppError('not_found', 'Evidence request not found');
    const comment = await tx.evidenceRequestComment.create({
      data: { organizationId: ctx.organizationId, requestId: request.id, authorId, authorLabel: actorLabel(ctx.actor), body: data.body },
      select: { id: true, authorId: true, authorLabel: true, body: true, createdAt: true },
    });
    await notifyUsers(tx, ctx.organizationId, [request.askedById, request.assigneeUserId].filter((u): u is string => !!u && u !== authorId), {
      type: 'evidence_request.comment', title: `${actorLabel(ctx.actor)} commented on the evidence request for ${request.requirementId}`,
      link: requirementPath(ctx.organizationSlug, request.frameworkId, request.requirementId),
    });
    return comment;
  });
}

/** The asker closes their request (whatever its result); anyone else gets 403. Audited. */
export async function closeEvidenceRequest(ctx: OrgContext, input: CloseEvidenceRequestInput): Promise<EvidenceRequestView> {
  authorize(ctx, 'evidence.request');
  const userId = requireUserId(ctx, 'close an evidence request');
  const data = parseInput(CloseEvidenceRequestSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const request = await tx.evidenceRequest.findUnique({ where: { id: data.requestId }, select: { id: true, askedById: true, status: true } });
    if (!request) throw new AppError('not_found', 'Evidence request not found');
    if (request.askedById !== userId) throw new AppError('forbidden', 'Only whoever asked for the evidence can close the request');
    if (request.status !== 'open') throw new AppError('conflict', 'The request is already closed');
    const now = new Date();
    const updated = await tx.evidenceRequest.update({
      where: { id: request.id },
      data: { status: 'closed', closeReason: 'closed', closedAt: now, closedById: userId, closedByLabel: actorLabel(ctx.actor) },
      select: REQUEST_SELECT,
    });
    await writeAudit(tx, ctx, { action: 'evidence_request.close', targetType: 'evidence_request', targetId: request.id, before: { status: 'open' }, after: { status: 'closed', closeReason: 'closed' } });
    return requestView(updated, await memberLabels(tx), now);
  });
}

/** A requirement's evidence requests with their threads, open ones first, newest first. */
export async function listEvidenceRequests(ctx: OrgContext, frameworkId: string, requirementId: string, now: Date = new Date()): Promise<EvidenceRequestView[]> {
  authorize(ctx, 'evidence.read');
  requirementOrNotFound(frameworkId, requirementId);
  return dbFor(ctx).$transaction(async (tx) => {
    const rows = await tx.evidenceRequest.findMany({ where: { frameworkId, requirementId }, orderBy: [{ status: 'desc' }, { createdAt: 'desc' }], select: REQUEST_SELECT });
    const people = await memberLabels(tx);
    return rows.map((row) => requestView(row, people, now));
  });
}

type RequestRow = Omit<EvidenceRequestView, 'status' | 'closeReason' | 'assigneeLabel' | 'overdue'> & { status: string; closeReason: string | null };

function requestView(row: RequestRow, people: Map<string, string>, now: Date): EvidenceRequestView {
  return {
    ...row,
    status: row.status === 'open' ? 'open' : 'closed',
    closeReason: row.closeReason === 'accepted' || row.closeReason === 'closed' ? row.closeReason : null,
    assigneeLabel: row.assigneeUserId ? (people.get(row.assigneeUserId) ?? null) : null,
    overdue: row.status === 'open' && row.dueDate.getTime() < now.getTime(),
  };
}
