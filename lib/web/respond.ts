import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../platform/errors';
import { logger } from '../platform/log';

const log = logger.child({ component: 'web' });

/** Every API error has one shape: {"error": {"code", "message", "issues"?, "requestId"?}}. */
export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const body = { error: { code: error.code, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) } };
    return Response.json(body, { status: error.status, headers: { 'Cache-Control': 'no-store', ...error.headers } });
  }
  const requestId = randomUUID();
  log.error({ requestId, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'unhandled error');
  return Response.json(
    { error: { code: 'internal', message: 'Something went wrong on our side', requestId } },
    { status: 500, headers: { 'Cache-Control': 'no-store' } },
  );
}

/** Wraps a route handler so thrown AppErrors and unknown errors become the one error shape. */
export function route<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export { AppError };
