export const ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** Existed, and no longer works (a used or expired single-use link). */
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  /** A third party we call (Jira) refused or failed: its answer, not ours. */
  bad_gateway: 502,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorIssue = { path: string; message: string };

/** The one error type services throw; the web layer maps `code` to a status and one JSON shape. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ErrorIssue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** zod issues -> our issue shape, with paths like `objects.pods[3].metadata.name`. */
export function issuesFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[], limit = 20): ErrorIssue[] {
  return issues.slice(0, limit).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(root)';
}
