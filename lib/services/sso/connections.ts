import { randomUUID } from 'node:crypto';
import { dbFor, type TenantTx } from '../../platform/db/tenant';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { seal } from '../../platform/auth/secret-box';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { env } from '../../platform/env';
import { parseInput } from '../orgs/schemas';
import { fetchDiscovery, type DiscoveryDocument } from './discovery';
import { refusedSsoUrlReason } from './address-policy';
import type { HostResolver } from '../../platform/net/address-policy';
import { invalidateSsoConnectionCache } from './connection-cache';
import {
  CreateSsoConnectionSchema, DeleteSsoConnectionSchema, RotateSsoSecretSchema, SetSsoConnectionEnabledSchema, UpdateSsoConnectionSchema,
  type CreateSsoConnectionInput, type DeleteSsoConnectionInput, type RotateSsoSecretInput, type SetSsoConnectionEnabledInput, type UpdateSsoConnectionInput,
} from './schemas';

// An organization's own OpenID Connect connections. Owners only: a connection decides who signs in as a member.
// The client secret is sealed (lib/platform/auth/secret-box.ts) and never read back to a page; the discovery document is
// fetched and validated on every save, outside the transaction (a slow IdP must not hold row locks).

export type ConnectionOptions = {
  /** Tests and the demo seed may validate against an http:// IdP on loopback; defaults to NODE_ENV=production. */
  production?: boolean;
  fetch?: typeof fetch;
  /** Name resolution for the address check (tests whose fake fetch answers made-up host names). */
  resolve?: HostResolver;
};

const PUBLIC_FIELDS = {
  id: true, name: true, issuer: true, clientId: true, scopes: true, groupClaim: true, enabled: true,
  createdAt: true, updatedAt: true, secretRotatedAt: true,
} as const;

function discover(issuer: string, options: ConnectionOptions): Promise<DiscoveryDocument> {
  return fetchDiscovery(issuer, { production: options.production ?? env().NODE_ENV === 'production', fetch: options.fetch, refusedUrlReason: (url) => refusedSsoUrlReason(url, undefined, options.resolve) });
}

/** What the audit log records of a connection: never the secret. */
function auditView(row: { name: string; issuer: string; clientId: string; scopes: string; groupClaim: string; enabled: boolean }) {
  return { name: row.name, issuer: row.issuer, clientId: row.clientId, scopes: row.scopes, groupClaim: row.groupClaim, enabled: row.enabled };
}

export async function listSsoConnections(ctx: OrgContext) {
  authorize(ctx, 'sso.manage');
  return dbFor(ctx).ssoConnection.findMany({ orderBy: { createdAt: 'asc' }, select: { ...PUBLIC_FIELDS, _count: { select: { groupMappings: true, domains: true } } } });
}

/** Id and name of each connection, for the group-mapping form. */
export async function listSsoConnectionNames(ctx: OrgContext) {
  authorize(ctx, 'sso.read');
  return dbFor(ctx).ssoConnection.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, name: true, enabled: true, groupClaim: true } });
}

export async function createSsoConnection(ctx: OrgContext, input: CreateSsoConnectionInput, options: ConnectionOptions = {}) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(CreateSsoConnectionSchema, input);
  const discovery = await discover(data.issuer, options);
  const id = randomUUID(); // the secret is sealed bound to the row's id, so it is chosen here
  const sealed = seal(data.clientSecret, id);
  const created = await dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.ssoConnection.create({
      data: {
        id, organizationId: ctx.organizationId, name: data.name, issuer: discovery.issuer, clientId: data.clientId,
        clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId, scopes: data.scopes, groupClaim: data.groupClaim,
        discovery, createdById: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      },
      select: PUBLIC_FIELDS,
    });
    await writeAudit(tx, ctx, { action: 'sso_connection.created', targetType: 'SsoConnection', targetId: row.id, after: auditView(row) });
    return row;
  });
  invalidateSsoConnectionCache(created.id);
  return created;
}

async function getConnection(tx: TenantTx, connectionId: string) {
  const row = await tx.ssoConnection.findUnique({ where: { id: connectionId }, select: PUBLIC_FIELDS });
  if (!row) throw new AppError('not_found', 'SSO connection not found');
  return row;
}

/** Changes name, issuer, client id, scopes or group claim; the discovery document is fetched and validated again. */
export async function updateSsoConnection(ctx: OrgContext, input: UpdateSsoConnectionInput, options: ConnectionOptions = {}) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(UpdateSsoConnectionSchema, input);
  // Existence first, so another organization's id gets 404 before anything is fetched on its behalf.
  if (!(await dbFor(ctx).ssoConnection.findUnique({ where: { id: data.connectionId }, select: { id: true } }))) throw new AppError('not_found', 'SSO connection not found');
  const discovery = await discover(data.issuer, options);
  const updated = await dbFor(ctx).$transaction(async (tx) => {
    const before = await getConnection(tx, data.connectionId);
    const row = await tx.ssoConnection.update({
      where: { id: before.id },
      data: { name: data.name, issuer: discovery.issuer, clientId: data.clientId, scopes: data.scopes, groupClaim: data.groupClaim, discovery },
      select: PUBLIC_FIELDS,
    });
    await writeAudit(tx, ctx, { action: 'sso_connection.updated', targetType: 'SsoConnection', targetId: row.id, before: auditView(before), after: auditView(row) });
    return row;
  });
  invalidateSsoConnectionCache(updated.id);
  return updated;
}

/** Replaces the client secret (write-only: the old one is never shown, the new one neither after this). */
export async function rotateSsoSecret(ctx: OrgContext, input: RotateSsoSecretInput) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(RotateSsoSecretSchema, input);
  const result = await dbFor(ctx).$transaction(async (tx) => {
    const row = await getConnection(tx, data.connectionId);
    const sealed = seal(data.clientSecret, row.id);
    const now = new Date();
    await tx.ssoConnection.update({ where: { id: row.id }, data: { clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId, secretRotatedAt: now } });
    await writeAudit(tx, ctx, { action: 'sso_connection.secret_rotated', targetType: 'SsoConnection', targetId: row.id, after: { name: row.name, keyId: sealed.keyId } });
    return { id: row.id, secretRotatedAt: now };
  });
  invalidateSsoConnectionCache(result.id);
  return result;
}

/** Refuses to leave an organization that enforces SSO with no enabled connection (only the break-glass owner could enter). */
async function assertNotLastEnforcedConnection(tx: TenantTx, ctx: OrgContext, connectionId: string, what: string) {
  const org = await tx.organization.findUniqueOrThrow({ where: { id: ctx.organizationId }, select: { ssoEnforced: true } });
  if (!org.ssoEnforced) return;
  const others = await tx.ssoConnection.count({ where: { enabled: true, id: { not: connectionId } } });
  if (others === 0) throw new AppError('conflict', `Single sign-on is enforced and this is the last enabled connection: turn enforcement off before you ${what} it`);
}

/** Disabling ends the sessions that came through the connection at their next request (lib/web/auth.ts). */
export async function setSsoConnectionEnabled(ctx: OrgContext, input: SetSsoConnectionEnabledInput) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(SetSsoConnectionEnabledSchema, input);
  const result = await dbFor(ctx).$transaction(async (tx) => {
    const row = await getConnection(tx, data.connectionId);
    if (row.enabled === data.enabled) return { id: row.id, enabled: row.enabled };
    if (!data.enabled) await assertNotLastEnforcedConnection(tx, ctx, row.id, 'disable');
    await tx.ssoConnection.update({ where: { id: row.id }, data: { enabled: data.enabled } });
    await writeAudit(tx, ctx, { action: data.enabled ? 'sso_connection.enabled' : 'sso_connection.disabled', targetType: 'SsoConnection', targetId: row.id, before: { enabled: row.enabled }, after: { enabled: data.enabled } });
    return { id: row.id, enabled: data.enabled };
  });
  invalidateSsoConnectionCache(result.id);
  return result;
}

/** Deletes a connection with its group mappings; its domains stay verified but route nowhere until re-assigned. */
export async function deleteSsoConnection(ctx: OrgContext, input: DeleteSsoConnectionInput) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(DeleteSsoConnectionSchema, input);
  const result = await dbFor(ctx).$transaction(async (tx) => {
    const row = await getConnection(tx, data.connectionId);
    if (row.enabled) await assertNotLastEnforcedConnection(tx, ctx, row.id, 'delete');
    await tx.verifiedDomain.updateMany({ where: { connectionId: row.id }, data: { connectionId: null } });
    await tx.ssoConnection.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, { action: 'sso_connection.deleted', targetType: 'SsoConnection', targetId: row.id, before: auditView(row) });
    return { id: row.id };
  });
  invalidateSsoConnectionCache(result.id);
  return result;
}
