import { z } from 'zod';
import { systemDb } from '../../platform/db/tenant';
import { ssoProviderId } from './schemas';

export const SignInEmailSchema = z.object({ email: z.string().trim().toLowerCase().pipe(z.email('enter your work email address')) });

export type SignInRoute = { providerId: string; name: string; organizationName: string | null };

/**
 * Home realm discovery: the provider an email signs in through. A verified domain routed to an enabled connection
 * of its organization sends the person to that organization's IdP; anything else goes to the platform IdP. The
 * typed address proves nothing (the IdP authenticates); it only picks where to go. Crosses tenants on purpose:
 * nobody is signed in yet.
 */
export async function findSignInRoute(email: string, platform: { id: string; name: string }): Promise<SignInRoute> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const row = await systemDb().verifiedDomain.findFirst({
    where: { domain, verifiedAt: { not: null }, connection: { enabled: true } },
    select: { connection: { select: { id: true, name: true } }, organization: { select: { name: true } } },
  });
  if (!row?.connection) return { providerId: platform.id, name: platform.name, organizationName: null };
  return { providerId: ssoProviderId(row.connection.id), name: row.connection.name, organizationName: row.organization.name };
}
