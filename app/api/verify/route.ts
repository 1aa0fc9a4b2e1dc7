import { AppError } from '@/lib/platform/errors';
import { env } from '@/lib/platform/env';
import { rateLimitClientKey } from '@/lib/platform/auth/request-meta';
import { consumeRateLimit } from '@/lib/platform/rate-limit';
import { verifyReportFile } from '@/lib/services/reports/verify-report';
import { json, route } from '@/lib/web/respond';

export const dynamic = 'force-dynamic';

/** Reads the request body, refusing it (413) as soon as it passes `limit` bytes: a wrong Content-Length cannot lift the cap. */
async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '');
  const tooLarge = () => new AppError('too_large', `The file is larger than ${Math.floor(limit / (1024 * 1024))} MiB; Bulwark reports are smaller`);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/**
 * POST /api/verify (public, no sign-in): the body is the file itself (any content type). Answers whether this
 * Bulwark issued it unchanged, and for whom, in the fields lib/services/reports/verify-report.ts allows, nothing
 * more. Limited per client address (when known, behind TRUSTED_PROXIES) and for all clients together.
 */
export const POST = route(async (request: Request) => {
  const e = env();
  const client = rateLimitClientKey(request.headers);
  if (client) await consumeRateLimit('verify', client, e.VERIFY_RATE_LIMIT_PER_MINUTE, 60);
  await consumeRateLimit('verify-all', 'all', e.VERIFY_GLOBAL_RATE_LIMIT_PER_MINUTE, 60);
  const bytes = await readCapped(request, e.VERIFY_MAX_UPLOAD_BYTES);
  if (bytes.byteLength === 0) throw new AppError('invalid', 'Send the file to check as the request body');
  return json(await verifyReportFile(bytes));
});
