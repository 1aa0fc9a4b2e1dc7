import { randomBytes } from 'node:crypto';
import { dbFor, systemDb } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';
import { AppError } from '../../platform/errors';
import { parseInput } from '../orgs/schemas';
import { lookupTxt } from './dns';
import { ClaimDomainSchema, DomainIdSchema, SetDomainConnectionSchema, type ClaimDomainInput, type DomainIdInput, type SetDomainConnectionInput } from './schemas';

// An organization proves a domain with a DNS TXT record at the domain itself. A verified domain belongs to one
// organization at most (a partial unique index on verified rows); unverified claims may coexist, and the first to
// prove the domain wins. With a connection attached, people whose email is at the domain sign in through it.

export const TXT_PREFIX = 'bulwark-verification=';

export function txtRecordFor(token: string): string {
  return `${TXT_PREFIX}${token}`;
}

function alreadyVerifiedElsewhere(domain: string): AppError {
  return new AppError('conflict', `${domain} is already verified by another organization; a domain belongs to one organization at most`, [{ path: 'domain', message: 'verified by another organization' }]);
}

/** Is the domain verified by an organization other than ctx's? Crosses tenants on purpose, and says nothing more. */
async function isVerifiedElsewhere(ctx: OrgContext, domain: string): Promise<boolean> {
  const row = await systemDb().verifiedDomain.findFirst({ where: { domain, verifiedAt: { not: null }, organizationId: { not: ctx.organizationId } }, select: { id: true } });
  return row !== null;
}

export async function listDomains(ctx: OrgContext) {
  authorize(ctx, 'sso.manage');
  const rows = await dbFor(ctx).verifiedDomain.findMany({
    orderBy: { domain: 'asc' },
    select: { id: true, domain: true, verificationToken: true, verifiedAt: true, connectionId: true, createdAt: true, connection: { select: { name: true, enabled: true } } },
  });
  return rows.map(({ verificationToken, ...row }) => ({ ...row, txtRecord: txtRecordFor(verificationToken) }));
}

/** Claims a domain: a row with a fresh token; the page shows the TXT record to create. */
export async function claimDomain(ctx: OrgContext, input: ClaimDomainInput) {
  authorize(ctx, 'sso.manage');
  const { domain } = parseInput(ClaimDomainSchema, input);
  if (await isVerifiedElsewhere(ctx, domain)) throw alreadyVerifiedElsewhere(domain);
  const token = randomBytes(18).toString('base64url');
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const row = await tx.verifiedDomain.create({
        data: { organizationId: ctx.organizationId, domain, verificationToken: token, createdById: ctx.actor.kind === 'user' ? ctx.actor.userId : null },
        select: { id: true, domain: true },
      });
      await writeAudit(tx, ctx, { action: 'domain.claimed', targetType: 'VerifiedDomain', targetId: row.id, after: { domain } });
      return { ...row, txtRecord: txtRecordFor(token) };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `${domain} is already claimed by this organization`, [{ path: 'domain', message: 'already claimed' }]);
    }
    throw error;
  }
}

/**
 * Looks for `bulwark-verification=<token>` in the domain's TXT records; found, the domain is verified (audited).
 * Not found, or verified meanwhile by another organization: a clear refusal, nothing written.
 */
export async function verifyDomain(ctx: OrgContext, input: DomainIdInput) {
  authorize(ctx, 'sso.manage');
  const { domainId } = parseInput(DomainIdSchema, input);
  const row = await dbFor(ctx).verifiedDomain.findUnique({ where: { id: domainId }, select: { id: true, domain: true, verificationToken: true, verifiedAt: true } });
  if (!row) throw new AppError('not_found', 'Domain not found');
  if (row.verifiedAt) return { id: row.id, domain: row.domain, verifiedAt: row.verifiedAt };
  if (await isVerifiedElsewhere(ctx, row.domain)) throw alreadyVerifiedElsewhere(row.domain);
  const expected = txtRecordFor(row.verificationToken);
  const lookup = await lookupTxt(row.domain);
  if (!lookup.ok) throw new AppError('unavailable', `Could not check ${row.domain}: ${lookup.reason}; try again in a moment`);
  if (!lookup.records.includes(expected)) {
    throw new AppError('invalid', `No TXT record "${expected}" at ${row.domain} yet (found ${lookup.records.length} TXT record(s)); DNS changes can take a few minutes to appear`, [{ path: 'domain', message: 'verification record not found' }]);
  }
  try {
    return await dbFor(ctx).$transaction(async (tx) => {
      const verifiedAt = new Date();
      const updated = await tx.verifiedDomain.updateMany({ where: { id: row.id, verifiedAt: null }, data: { verifiedAt } });
      if (updated.count === 1) await writeAudit(tx, ctx, { action: 'domain.verified', targetType: 'VerifiedDomain', targetId: row.id, after: { domain: row.domain } });
      return { id: row.id, domain: row.domain, verifiedAt };
    });
  } catch (error) {
    // Another organization proved the same domain between our check and our write: the partial unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw alreadyVerifiedElsewhere(row.domain);
    throw error;
  }
}

/** Routes the domain's people to one of the organization's own connections (or to none: the platform IdP). */
export async function setDomainConnection(ctx: OrgContext, input: SetDomainConnectionInput) {
  authorize(ctx, 'sso.manage');
  const data = parseInput(SetDomainConnectionSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.verifiedDomain.findUnique({ where: { id: data.domainId }, select: { id: true, domain: true, connectionId: true } });
    if (!row) throw new AppError('not_found', 'Domain not found');
    if (data.connectionId && !(await tx.ssoConnection.findUnique({ where: { id: data.connectionId }, select: { id: true } }))) {
      throw new AppError('not_found', 'SSO connection not found', [{ path: 'connectionId', message: 'not one of this organization\'s connections' }]);
    }
    if (row.connectionId === data.connectionId) return { id: row.id, connectionId: row.connectionId };
    await tx.verifiedDomain.update({ where: { id: row.id }, data: { connectionId: data.connectionId } });
    await writeAudit(tx, ctx, { action: 'domain.connection_set', targetType: 'VerifiedDomain', targetId: row.id, before: { domain: row.domain, connectionId: row.connectionId }, after: { domain: row.domain, connectionId: data.connectionId } });
    return { id: row.id, connectionId: data.connectionId };
  });
}

export async function deleteDomain(ctx: OrgContext, input: DomainIdInput) {
  authorize(ctx, 'sso.manage');
  const { domainId } = parseInput(DomainIdSchema, input);
  return dbFor(ctx).$transaction(async (tx) => {
    const row = await tx.verifiedDomain.findUnique({ where: { id: domainId }, select: { id: true, domain: true, verifiedAt: true } });
    if (!row) throw new AppError('not_found', 'Domain not found');
    await tx.verifiedDomain.delete({ where: { id: row.id } });
    await writeAudit(tx, ctx, { action: 'domain.deleted', targetType: 'VerifiedDomain', targetId: row.id, before: { domain: row.domain, verified: row.verifiedAt !== null } });
    return { id: row.id };
  });
}
