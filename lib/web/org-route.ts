import type { z } from 'zod';
import { AppError, issuesFromZod } from '../platform/errors';
import type { OrgContext } from '../platform/auth/context';
import { ssoRequiredMessage } from '../platform/auth/membership';
import { requestMetaFrom } from '../platform/auth/request-meta';
import { resolveApiToken } from '../platform/auth/api-token-context';
import { sessionMembership } from './context';
import { errorResponse } from './respond';

type RouteContext<P> = { params: Promise<P> };

/**
 * The organization context of an API request: an org API token (Bearer) or the signed-in session. Anyone who
 * is not a member of the organization in the URL gets the same 404 as a request for one that doesn't exist.
 */
export async function resolveRequestContext(request: Request, orgSlug: string): Promise<OrgContext> {
  const meta = requestMetaFrom(request.headers);
  const fromToken = await resolveApiToken(request.headers.get('authorization'), orgSlug, meta);
  if (fromToken) return fromToken;
  // API tokens above are not sessions: SSO enforcement applies to people signed in, not to automation.
  const result = await sessionMembership(orgSlug, request.headers);
  if (!result) throw new AppError('unauthenticated', 'Sign in, or send an API token as "Authorization: Bearer <token>"');
  if (result.kind === 'not_found') throw new AppError('not_found', 'Not found');
  if (result.kind === 'sso_required') throw new AppError('forbidden', ssoRequiredMessage(result));
  return result.ctx;
}

/**
 * A JSON body must say it is JSON. A signed-in browser carries its session cookie, and an HTML form on any site
 * can POST text/plain (or form-encoded) bodies without a CORS preflight; application/json can't be sent
 * cross-site without one. So a body route refuses anything else with 415, before reading the body.
 */
function assertJsonContentType(request: Request): void {
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('unsupported_media_type', `Send the body as JSON with "Content-Type: application/json"${type ? ` (got ${type})` : ''}`);
  }
}

type Schemas<Q, B> = { query?: z.ZodType<Q>; body?: z.ZodType<B> };

/** A route handler under /api/v1/orgs/[org]/...: context, zod-validated query and body, one error shape. */
export function orgRoute<P extends { org: string }, Q = undefined, B = undefined>(
  schemas: Schemas<Q, B>,
  handler: (input: { ctx: OrgContext; params: P; query: Q; body: B; request: Request }) => Promise<Response>,
): (request: Request, context: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    try {
      const params = await context.params;
      const ctx = await resolveRequestContext(request, params.org);
      let query = undefined as Q;
      if (schemas.query) {
        const parsed = schemas.query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
        if (!parsed.success) throw new AppError('invalid', 'Invalid query parameters', issuesFromZod(parsed.error.issues));
        query = parsed.data;
      }
      let body = undefined as B;
      if (schemas.body) {
        assertJsonContentType(request);
        let json: unknown;
        try { json = await request.json(); } catch { throw new AppError('invalid', 'Body must be JSON'); }
        const parsed = schemas.body.safeParse(json);
        if (!parsed.success) throw new AppError('invalid', 'Invalid request body', issuesFromZod(parsed.error.issues));
        body = parsed.data;
      }
      return await handler({ ctx, params, query, body, request });
    } catch (error) {
      return errorResponse(error);
    }
  };
}
