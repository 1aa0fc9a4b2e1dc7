import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from '../audit/write-audit';
import { CommentSchema, type CommentInput } from './schemas';
import { BULK_TRANSACTION, lockFindings } from './workflow';
import { parseInput } from '@/lib/platform/input';
import { requireUserId } from '@/lib/platform/auth/context';

/**
 * The same comment on one or many findings. A comment is its own timeline entry (no FindingEvent beside it).
 * The audit entry records that a comment was written and its length, not its text: the log is append-only,
 * and a secret pasted by mistake must stay deletable from the comment table.
 */
export async function addComment(ctx: OrgContext, input: CommentInput): Promise<{ commentIds: string[] }> {
  authorize(ctx, 'finding.comment');
  const authorId = requireUserId(ctx, 'comment');
  const { findingIds, body } = parseInput(CommentSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const findings = await lockFindings(tx, findingIds);
    const comments = await tx.comment.createManyAndReturn({
      data: findings.map((finding) => ({ organizationId: ctx.organizationId, findingId: finding.id, authorId, body })),
      select: { id: true, findingId: true },
    });
    for (const comment of comments) {
      await writeAudit(tx, ctx, { action: 'finding.commented', targetType: 'Finding', targetId: comment.findingId, after: { commentId: comment.id, length: body.length } });
    }
    return { commentIds: comments.map((comment) => comment.id) };
  }, BULK_TRANSACTION);
}
