import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerInstance } from 'next-auth';
import { isAppError } from '../platform/errors';
import { logger } from '../platform/log';
import { requestMetaFrom } from '../platform/auth/request-meta';
import { recordSignInAttempt, type SignInRefusal } from '../services/identity/sign-in-audit';
import { connectionIdFromProviderId } from '../services/sso/schemas';

const log = logger.child({ component: 'auth' });

/** What one OAuth callback request learned on its way through next-auth: filled by the jwt callback and the logger. */
type Probe = {
  providerId: string;
  issuer?: string;
  subject?: string;
  email?: string;
  userId?: string;
  reason?: SignInRefusal;
  idpError?: string;
};

// next-auth v4 keeps one logger for the whole process (setLogger), so a request's errors reach that request's
// record through the async context, never through shared state two sign-ins at once could mix up.
const attempts = new AsyncLocalStorage<Probe>();

/** The jwt callback, as it starts a sign-in: who the IdP says this is. */
export function noteSignInAssertion(assertion: { issuer: string; subject: string; email: string }): void {
  const probe = attempts.getStore();
  if (probe) Object.assign(probe, { issuer: assertion.issuer, subject: assertion.subject, email: assertion.email });
}

/** The jwt callback, as it ends: the user signed in, or why Bulwark refused. */
export function noteSignInResult(result: { userId: string } | { error: unknown }): void {
  const probe = attempts.getStore();
  if (!probe) return;
  if ('userId' in result) probe.userId = result.userId;
  else probe.reason ??= isAppError(result.error) && result.error.code === 'conflict' ? 'identity_conflict' : 'error';
}

function errorText(value: unknown): string {
  const error = value instanceof Error ? value : (value as { error?: unknown } | null)?.error;
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : '';
}

/**
 * next-auth's logger: its errors go to pino with the error's name and message only (its metadata can hold the
 * IdP's claims), and tell the current sign-in attempt what went wrong.
 */
export const nextAuthLogger: Partial<LoggerInstance> = {
  error(code, metadata) {
    const probe = attempts.getStore();
    if (probe && !probe.reason) {
      const meta = (metadata ?? {}) as { error?: unknown; error_description?: unknown; providerId?: unknown };
      if (code === 'OAUTH_CALLBACK_HANDLER_ERROR' && 'error_description' in meta) {
        // The IdP redirected back with ?error=…: its code (access_denied, login_required…) is what it refused with.
        probe.reason = 'idp_refused';
        probe.idpError = meta.error instanceof Error ? meta.error.message.slice(0, 100) : undefined;
      } else if (code === 'OAUTH_PARSE_PROFILE_ERROR') probe.reason = 'invalid_profile';
      else if (code === 'OAUTH_CALLBACK_ERROR') probe.reason = 'invalid_idp_response';
    }
    log.warn({ code, provider: probe?.providerId, error: errorText(metadata) }, 'next-auth error');
  },
  warn(code) {
    log.warn({ code }, 'next-auth warning');
  },
};

/** A callback that did not come back with a session answers with next-auth's error or sign-in page, or no redirect. */
function isRefusal(response: Response): boolean {
  const location = response.headers.get('location');
  if (!location || response.status < 300 || response.status >= 400) return true;
  const path = new URL(location, 'http://localhost').pathname;
  return path === '/api/auth/error' || path === '/api/auth/signin' || path === '/sign-in';
}

/**
 * Runs one /api/auth request; for an OAuth callback (/api/auth/callback/<provider>), records the sign-in attempt in
 * the audit log (lib/services/identity/sign-in-audit.ts) once next-auth has answered: succeeded when the jwt callback
 * signed a user in and the answer is no error, refused otherwise, with the reason learned on the way. A failure to
 * record is logged and does not change the answer.
 */
export async function withSignInAttempt(
  segments: readonly string[],
  request: Request,
  platformProvider: (id: string) => { name: string; issuer: string } | null,
  run: () => Promise<Response>,
): Promise<Response> {
  const [action, providerId] = segments;
  if (action !== 'callback' || !providerId) return run();
  const probe: Probe = { providerId };
  const response = await attempts.run(probe, run);
  const succeeded = Boolean(probe.userId) && !isRefusal(response);
  const platform = platformProvider(providerId);
  try {
    await recordSignInAttempt({
      providerId,
      providerName: platform?.name ?? null,
      issuer: probe.issuer ?? platform?.issuer ?? null,
      outcome: succeeded ? 'succeeded' : 'refused',
      reason: succeeded ? undefined : probe.reason ?? (platform || connectionIdFromProviderId(providerId) ? undefined : 'unknown_provider'),
      idpError: probe.idpError ?? null,
      userId: probe.userId ?? null,
      subject: probe.subject ?? null,
      email: probe.email ?? null,
      request: requestMetaFrom(request.headers),
    });
  } catch (error) {
    log.error({ err: error, provider: providerId }, 'could not record the sign-in attempt in the audit log');
  }
  return response;
}
