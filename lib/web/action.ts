import { headers } from 'next/headers';
import { z } from 'zod';
import { AppError, isAppError, issuesFromZod, type ErrorCode, type ErrorIssue } from '../platform/errors';
import type { OrgContext } from '../platform/auth/context';
import { ssoRequiredMessage } from '../platform/auth/membership';
import { logger } from '../platform/log';
import { sessionMembership } from './context';

export type ActionError = { code: ErrorCode; message: string; issues?: ErrorIssue[] };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

const log = logger.child({ component: 'action' });

async function actionContext(orgSlug: string): Promise<OrgContext> {
  const result = await sessionMembership(orgSlug, await headers());
  if (!result) throw new AppError('unauthenticated', 'Your session has ended; sign in again');
  if (result.kind === 'not_found') throw new AppError('not_found', 'Not found');
  if (result.kind === 'sso_required') throw new AppError('forbidden', ssoRequiredMessage(result));
  return result.ctx;
}

/**
 * A server action for an organization: `(orgSlug, input) => ActionResult`. The input is validated with the
 * same schema the form uses; errors come back as data (in production a thrown error would reach the browser
 * only as an opaque digest).
 */
export function orgAction<S extends z.ZodType, T>(schema: S, service: (ctx: OrgContext, input: z.infer<S>) => Promise<T>) {
  return async (orgSlug: string, input: unknown): Promise<ActionResult<T>> => {
    try {
      if (typeof orgSlug !== 'string') throw new AppError('invalid', 'Missing organization');
      const ctx = await actionContext(orgSlug);
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw new AppError('invalid', 'Please correct the highlighted fields', issuesFromZod(parsed.error.issues));
      return { ok: true, data: await service(ctx, parsed.data) };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) } };
      if (error instanceof z.ZodError) return { ok: false, error: { code: 'invalid', message: 'Invalid input', issues: issuesFromZod(error.issues) } };
      log.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'action failed');
      return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side; try again' } };
    }
  };
}
