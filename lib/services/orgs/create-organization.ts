import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { systemDb, dbFor } from '../../platform/db/tenant';
import { Prisma } from '../../platform/db/client';
import { newInvitationLink } from '../../platform/auth/invitation-link';
import { systemContext } from '../../platform/auth/context';
import { writeAudit } from '../audit/write-audit';

export const SlugSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lowercase letters, digits and dashes, 1-40 characters');
export const CreateOrganizationSchema = z.object({
  name: z.string().trim().min(2, 'at least 2 characters').max(100),
  slug: SlugSchema.optional(),
  ownerEmail: z.email().transform((e) => e.toLowerCase()),
  /** A user the caller has already identified (seeds, load fixtures): made OWNER at once. */
  ownerUserId: z.uuid().optional(),
});
export type CreateOrganizationInput = z.input<typeof CreateOrganizationSchema>;

export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
}

/**
 * Creates an organization and makes `ownerEmail` its OWNER through an invitation link (`ownerInvitationToken`, to
 * hand over once) they accept after signing in with that verified address. Never by looking the address up:
 * emails are not unique, and the first account to assert someone's address (unverified, through any IdP) must
 * not become the owner of their organization. `ownerUserId` makes an identified user OWNER at once. A platform
 * operation (admin CLI, seeds), so it uses systemDb.
 */
export async function createOrganization(input: CreateOrganizationInput) {
  const data = CreateOrganizationSchema.parse(input);
  const slug = data.slug ?? slugify(data.name);
  try {
    return await systemDb().$transaction(async (tx) => {
      const org = await tx.organization.create({ data: { name: data.name, slug } });
      if (data.ownerUserId) {
        await tx.membership.create({ data: { organizationId: org.id, userId: data.ownerUserId, role: 'OWNER', source: 'BOOTSTRAP' } });
        return { ...org, ownerInvitationToken: null };
      }
      // Nothing is granted at sign-in any more: the future owner accepts this link (printed once by the caller).
      const link = newInvitationLink(org.invitationExpiryDays);
      await tx.invitation.create({ data: { organizationId: org.id, email: data.ownerEmail, role: 'OWNER', ...link.stored } });
      return { ...org, ownerInvitationToken: link.token };
    }).then(async (org) => {
      const ctx = systemContext(org.id, 'create-organization', org.slug);
      await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'organization.created', targetType: 'Organization', targetId: org.id, after: { name: org.name, slug: org.slug, owner: data.ownerEmail } }));
      return org;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', `An organization with the slug "${slug}" already exists`, [{ path: 'slug', message: 'already taken' }]);
    }
    throw error;
  }
}

export async function findOrganizationBySlug(slug: string) {
  return systemDb().organization.findUnique({ where: { slug } });
}
