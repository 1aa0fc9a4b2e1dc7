import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { AppError } from '@/lib/platform/errors';
import { env } from '@/lib/platform/env';
import { addEvidence, formatBytes, listEvidence } from '@/lib/services/evidence/evidence';
import { listEvidenceRequests } from '@/lib/services/evidence/requests';
import { evidenceStates } from '@/lib/services/evidence/evidence-state';
import { EVIDENCE_UPLOAD_HEADER as UPLOAD_HEADER, type AddEvidenceInput } from '@/lib/services/evidence/schemas';
import { z } from 'zod';

export const dynamic = 'force-dynamic';

/** Room for the form's other fields and the multipart boundaries, beside the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const ListQuery = z.object({ frameworkId: z.string().min(1).max(100), requirementId: z.string().min(1).max(100) });

/** A requirement's evidence (no bytes), its requests with their threads, and its evidence state. */
export const GET = orgRoute<{ org: string }, z.infer<typeof ListQuery>>({ query: ListQuery }, async ({ ctx, query }) => {
  const [items, requests, states] = await Promise.all([
    listEvidence(ctx, query.frameworkId, query.requirementId),
    listEvidenceRequests(ctx, query.frameworkId, query.requirementId),
    evidenceStates(ctx, query.frameworkId),
  ]);
  return json({ state: states.get(query.requirementId) ?? 'none', items, requests });
});

/**
 * Adds evidence as multipart/form-data: frameworkId, requirementId, kind (file | link | attestation), title,
 * collectedAt, validUntil, ownerUserId?, url? (link), attestation? (attestation), file (file). 201 with the item.
 * The body's size is refused (413) from its Content-Length before it is read.
 */
export const POST = orgRoute<{ org: string }>({}, async ({ ctx, request }) => {
  if (request.headers.get(UPLOAD_HEADER) !== '1') throw new AppError('forbidden', `Send uploads with the header "${UPLOAD_HEADER}: 1"`);
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'multipart/form-data') throw new AppError('unsupported_media_type', `Send evidence as multipart/form-data${type ? ` (got ${type})` : ''}`);
  const length = Number(request.headers.get('content-length'));
  if (!Number.isFinite(length) || length <= 0) throw new AppError('invalid', 'The upload needs a Content-Length');
  const maxFile = env().EVIDENCE_MAX_FILE_BYTES;
  if (length > maxFile + FORM_OVERHEAD_BYTES) {
    throw new AppError('too_large', `The upload is ${formatBytes(length)}; evidence files may be at most ${formatBytes(maxFile)}`, [{ path: 'file', message: 'too large' }]);
  }
  let form: FormData;
  try { form = await request.formData(); } catch { throw new AppError('invalid', 'The body is not valid multipart/form-data'); }
  const fields: Record<string, string> = {};
  let file: { name: string; bytes: Uint8Array } | undefined;
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') fields[key] = value;
    else if (key === 'file' && value.size > 0) file = { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  // The service parses the fields with its schema (400 naming each field at fault).
  const item = await addEvidence(ctx, fields as unknown as AddEvidenceInput, file);
  return json({ item }, 201);
});
