'use server';
import { findSignInRoute, SignInEmailSchema, type SignInRoute } from '@/lib/services/sso/realm';
import { platformProviders } from '@/lib/web/auth';

export type SignInRouteResult = { ok: true; route: SignInRoute } | { ok: false; message: string };

/** Home realm discovery for the email-first sign-in form: where this address signs in (never who it is). */
export async function findSignInRouteAction(input: unknown): Promise<SignInRouteResult> {
  const parsed = SignInEmailSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'enter your work email address' };
  const [platform] = platformProviders();
  if (!platform) return { ok: false, message: 'No identity provider is configured' };
  return { ok: true, route: await findSignInRoute(parsed.data.email, { id: platform.id, name: platform.name }) };
}
