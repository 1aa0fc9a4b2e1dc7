import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { env } from '../../platform/env';
import { createMember, createOrg, uniqueSuffix } from '../../testing/factories';
import { devSubjectForEmail } from '../../testing/identities';
import { auditHash } from '../audit/write-audit';
import { verifyChain } from '../audit/verify-audit';
import { exportAuditCsv } from '../audit/export-audit';
import { listAuditLog } from '../audit/list-audit';
import { ssoProviderId } from '../sso/schemas';
import { syncUserAtSignIn } from './sign-in';
import { recordSignInAttempt, REFUSAL_AUDIT_BUDGET } from './sign-in-audit';

afterAll(() => disconnectDb());

const REQUEST = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (sign-in test)' };

async function connectionOf(org: { id: string }) {
  return systemDb().ssoConnection.create({
    data: { organizationId: org.id, name: `Okta ${uniqueSuffix()}`, issuer: `http://idp-${uniqueSuffix()}.test`, clientId: 'bulwark', clientSecretCiphertext: 'not-a-real-ciphertext', clientSecretKeyId: 'test' },
  });
}

const signIns = (organizationId: string) => systemDb().auditLog.findMany({ where: { organizationId, action: { startsWith: 'sign_in.' } }, orderBy: { seq: 'asc' } });

/** RFC 4180 as export-audit.ts writes it (quoted fields, doubled quotes, CRLF): enough to read our own export back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; } else field += c;
  }
  return rows;
}

describe('sign-ins in the audit log', () => {
  it('an SSO sign-in is recorded in the connection\'s organization only, with method, IdP, client address and user agent', async () => {
    const acme = await createOrg();
    const globex = await createOrg();
    const connection = await connectionOf(acme);
    const member = await createMember(acme, 'MEMBER');
    await systemDb().membership.create({ data: { organizationId: globex.id, userId: member.user.id, role: 'VIEWER' } });
    const profile = { sub: `okta-${uniqueSuffix()}`, email: member.user.email, email_verified: true };
    const signedIn = await syncUserAtSignIn({ issuer: connection.issuer, connectionId: connection.id, profile });
    const globexBefore = await systemDb().auditLog.count({ where: { organizationId: globex.id } });

    await recordSignInAttempt({ providerId: ssoProviderId(connection.id), providerName: null, issuer: connection.issuer, outcome: 'succeeded', userId: signedIn.userId, subject: profile.sub, email: profile.email, request: REQUEST });

    const [entry, ...rest] = await signIns(acme.id);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      action: 'sign_in.succeeded', targetType: 'User', targetId: signedIn.userId, ip: REQUEST.ip, userAgent: REQUEST.userAgent,
      after: { method: 'sso', provider: `sso-${connection.id}`, idp: connection.name, issuer: connection.issuer, outcome: 'succeeded', access: 'no_membership' },
    });
    // A new identity through Okta is a new user: not the Acme member whose address it asserted.
    expect(signedIn.userId).not.toBe(member.user.id);
    expect(await systemDb().auditLog.count({ where: { organizationId: globex.id } })).toBe(globexBefore);
  });

  it('a refused SSO sign-in says why, and the exported CSV still verifies entry by entry', async () => {
    const org = await createOrg();
    const connection = await connectionOf(org);
    const owner = await createMember(org, 'OWNER');
    await recordSignInAttempt({ providerId: ssoProviderId(connection.id), providerName: null, issuer: null, outcome: 'refused', reason: 'idp_refused', idpError: 'access_denied', request: REQUEST });
    await systemDb().ssoConnection.update({ where: { id: connection.id }, data: { enabled: false } });
    await recordSignInAttempt({ providerId: ssoProviderId(connection.id), providerName: null, issuer: null, outcome: 'refused', request: REQUEST });

    const entries = await signIns(org.id);
    expect(entries.map((e) => [e.action, (e.after as { reason?: string }).reason, e.actorLabel])).toEqual([
      ['sign_in.refused', 'idp_refused', 'system:sign-in'],
      ['sign_in.refused', 'connection_disabled', 'system:sign-in'],
    ]);
    expect(entries[0]?.after).toMatchObject({ method: 'sso', issuer: connection.issuer, idpError: 'access_denied', reasonText: expect.stringContaining('refused') });
    const page = await listAuditLog(owner.ctx, { action: 'sign_in.' });
    expect(page.items.map((item) => item.action)).toEqual(['sign_in.refused', 'sign_in.refused']);

    expect(await verifyChain(org.id, org.slug)).toMatchObject({ ok: true });
    const csv = await new Response(await exportAuditCsv(owner.ctx)).text();
    const [header, ...rows] = parseCsv(csv);
    expect(header?.at(-1)).toBe('hash');
    let previous = '0'.repeat(64);
    for (const row of rows) {
      const field: Record<string, string> = Object.fromEntries((header ?? []).map((name, index) => [name, row[index] ?? '']));
      const text = (name: string) => field[name] ?? '';
      const json = (raw: string) => (raw === '' ? null : JSON.parse(raw) as unknown);
      const recomputed = auditHash({
        organizationId: org.id, seq: Number(text('seq')), actorType: text('actorType'), actorId: text('actorId') || null, actorLabel: text('actorLabel'),
        action: text('action'), targetType: text('targetType') || null, targetId: text('targetId') || null, before: json(text('before')), after: json(text('after')),
        ip: text('ip') || null, userAgent: text('userAgent') || null, createdAt: text('createdAt'), prevHash: text('prevHash'),
      });
      expect({ seq: text('seq'), hash: recomputed, prev: text('prevHash') }).toEqual({ seq: text('seq'), hash: text('hash'), prev: previous });
      previous = text('hash');
    }
    expect(rows.map((row) => row[5])).toEqual(expect.arrayContaining(['sign_in.refused', 'audit.exported']));
  });

  it('forged refusals fill an organization\'s log only up to its budget; another organization\'s refusals and real sign-ins still land', async () => {
    const target = await createOrg();
    const bystander = await createOrg();
    const [flooded, other] = [await connectionOf(target), await connectionOf(bystander)];
    const forged = () => recordSignInAttempt({ providerId: ssoProviderId(flooded.id), providerName: null, issuer: null, outcome: 'refused', reason: 'idp_refused', idpError: 'access_denied', request: REQUEST });
    const written = [];
    for (let i = 0; i < REFUSAL_AUDIT_BUDGET.points + 5; i += 1) written.push((await forged()).organizationIds.length);
    expect(written.filter((n) => n === 1)).toHaveLength(REFUSAL_AUDIT_BUDGET.points);
    expect(await signIns(target.id)).toHaveLength(REFUSAL_AUDIT_BUDGET.points);
    // The flood spends the target's budget only.
    await recordSignInAttempt({ providerId: ssoProviderId(other.id), providerName: null, issuer: null, outcome: 'refused', reason: 'idp_refused', request: REQUEST });
    expect(await signIns(bystander.id)).toHaveLength(1);
    // A real sign-in through the flooded connection is still recorded.
    const member = await createMember(target, 'MEMBER');
    await recordSignInAttempt({ providerId: ssoProviderId(flooded.id), providerName: null, issuer: flooded.issuer, outcome: 'succeeded', userId: member.user.id, request: REQUEST });
    expect((await signIns(target.id)).map((entry) => entry.action).at(-1)).toBe('sign_in.succeeded');
  });

  it('a platform sign-in goes to each of the user\'s organizations; a refusal with no known user to none', async () => {
    const acme = await createOrg();
    const globex = await createOrg();
    const stranger = await createOrg();
    const member = await createMember(acme, 'ADMIN');
    await systemDb().membership.create({ data: { organizationId: globex.id, userId: member.user.id, role: 'VIEWER' } });
    await systemDb().organization.update({ where: { id: globex.id }, data: { ssoEnforced: true } });

    await recordSignInAttempt({ providerId: 'oidc', providerName: 'Dev IdP', issuer: env().OIDC_ISSUER, outcome: 'succeeded', userId: member.user.id, request: REQUEST });
    // The IdP answered with a known subject, then Bulwark refused: the user's organizations hear of it.
    await recordSignInAttempt({ providerId: 'oidc', providerName: 'Dev IdP', issuer: env().OIDC_ISSUER, outcome: 'refused', reason: 'identity_conflict', subject: devSubjectForEmail(member.user.email), request: REQUEST });
    const none = await recordSignInAttempt({ providerId: 'oidc', providerName: 'Dev IdP', issuer: env().OIDC_ISSUER, outcome: 'refused', reason: 'invalid_idp_response', request: REQUEST });
    expect(none.organizationIds).toEqual([]);

    const acmeEntries = await signIns(acme.id);
    expect(acmeEntries.map((e) => [e.action, e.actorLabel, (e.after as { access?: string; reason?: string }).access ?? (e.after as { reason?: string }).reason])).toEqual([
      ['sign_in.succeeded', member.user.email, 'member'],
      ['sign_in.refused', member.user.email, 'identity_conflict'],
    ]);
    expect(acmeEntries[0]?.after).toMatchObject({ method: 'platform', provider: 'oidc', idp: 'Dev IdP', issuer: env().OIDC_ISSUER });
    expect((await signIns(globex.id)).map((e) => (e.after as { access?: string }).access)).toEqual(['sso_required', undefined]);
    expect(await signIns(stranger.id)).toEqual([]);
    for (const org of [acme, globex]) expect(await verifyChain(org.id, org.slug)).toMatchObject({ ok: true });
  });
});
