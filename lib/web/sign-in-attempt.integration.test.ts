import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../platform/db/tenant';
import { disconnectDb } from '../platform/db/client';
import { AppError } from '../platform/errors';
import { createMember, createOrg, uniqueSuffix } from '../testing/factories';
import { nextAuthLogger, noteSignInAssertion, noteSignInResult, withSignInAttempt } from './sign-in-attempt';

afterAll(() => disconnectDb());

// The glue between next-auth and the sign-in audit, driven the way next-auth drives it: the jwt callback's notes and
// next-auth's logger during the request, its redirect as the answer. (The whole flow runs in e2e/sign-in-audit.spec.ts.)

const headers = { 'user-agent': 'Mozilla/5.0 (glue test)' };
const redirect = (location: string) => new Response(null, { status: 302, headers: { location } });
const noPlatform = () => null;

async function orgWithConnection() {
  const org = await createOrg();
  const connection = await systemDb().ssoConnection.create({
    data: { organizationId: org.id, name: `IdP ${uniqueSuffix()}`, issuer: `http://idp-${uniqueSuffix()}.test`, clientId: 'bulwark', clientSecretCiphertext: 'x', clientSecretKeyId: 'test' },
  });
  return { org, connection, provider: `sso-${connection.id}` };
}

const entries = (organizationId: string) => systemDb().auditLog.findMany({ where: { organizationId, action: { startsWith: 'sign_in.' } }, orderBy: { seq: 'asc' } });

describe('recording the sign-in a callback request made', () => {
  it('records success only when the jwt callback signed a user in and next-auth did not answer with an error', async () => {
    const { org, connection, provider } = await orgWithConnection();
    const member = await createMember(org, 'MEMBER');
    const request = new Request(`http://app.test/api/auth/callback/${provider}?code=abc&state=def`, { headers });
    const response = await withSignInAttempt(['callback', provider], request, noPlatform, async () => {
      noteSignInAssertion({ issuer: connection.issuer, subject: 'sub-1', email: member.user.email });
      noteSignInResult({ userId: member.user.id });
      return redirect('http://app.test/o');
    });
    expect(response.status).toBe(302);
    // Not a callback: nothing recorded.
    await withSignInAttempt(['session'], new Request('http://app.test/api/auth/session'), noPlatform, async () => new Response('{}'));
    const [entry, ...rest] = await entries(org.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ action: 'sign_in.succeeded', actorLabel: member.user.email, userAgent: headers['user-agent'], after: { method: 'sso', provider, access: 'member' } });
  });

  it('names the refusal from what next-auth logged, and keeps Bulwark\'s own reason first; two attempts at once do not mix', async () => {
    const { org, connection, provider } = await orgWithConnection();
    const request = () => new Request(`http://app.test/api/auth/callback/${provider}`, { headers });
    const idpRefused = withSignInAttempt(['callback', provider], request(), noPlatform, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      nextAuthLogger.error?.('OAUTH_CALLBACK_HANDLER_ERROR', { error: new Error('access_denied'), error_description: 'cancelled', providerId: provider } as never);
      nextAuthLogger.error?.('OAUTH_CALLBACK_ERROR', new Error('access_denied') as never);
      return redirect('http://app.test/api/auth/error?error=Callback');
    });
    const conflict = withSignInAttempt(['callback', provider], request(), noPlatform, async () => {
      noteSignInAssertion({ issuer: connection.issuer, subject: 'sub-2', email: 'x@example.test' });
      const error = new AppError('conflict', 'This sign-in already belongs to another Bulwark account');
      noteSignInResult({ error });
      await new Promise((resolve) => setImmediate(resolve));
      nextAuthLogger.error?.('OAUTH_CALLBACK_HANDLER_ERROR', error as never);
      return redirect('http://app.test/api/auth/error?error=Callback');
    });
    const badState = withSignInAttempt(['callback', provider], request(), noPlatform, async () => {
      nextAuthLogger.error?.('OAUTH_CALLBACK_ERROR', { error: Object.assign(new Error('state mismatch'), { name: 'OAuthCallbackError' }), providerId: provider } as never);
      return redirect('http://app.test/api/auth/error?error=OAuthCallback');
    });
    // The user id noted, but next-auth still answered with its error page: refused.
    const lateFailure = withSignInAttempt(['callback', provider], request(), noPlatform, async () => {
      noteSignInResult({ userId: (await createMember(org, 'VIEWER')).user.id });
      return redirect('http://app.test/api/auth/signin');
    });
    await Promise.all([idpRefused, conflict, badState, lateFailure]);
    const reasons = (await entries(org.id)).map((e) => [e.action, (e.after as { reason?: string }).reason, (e.after as { idpError?: string }).idpError ?? null]);
    expect(reasons).toHaveLength(4);
    expect(reasons).toEqual(expect.arrayContaining([
      ['sign_in.refused', 'idp_refused', 'access_denied'],
      ['sign_in.refused', 'identity_conflict', null],
      ['sign_in.refused', 'invalid_idp_response', null],
      ['sign_in.refused', 'error', null],
    ]));
  });
});
