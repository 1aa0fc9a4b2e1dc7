'use server';
import { z } from 'zod';
import { orgAction } from '@/lib/web/action';
import { actorUserId, type OrgContext } from '@/lib/platform/auth/context';
import { unlinkIdentity } from '@/lib/services/identity/identities';
import { AppError } from '@/lib/platform/errors';
import { beginIdentityLink } from '@/lib/web/sign-in-state';
import { SetDigestSchema } from '@/lib/services/digests/schemas';
import { setMyDigest } from '@/lib/services/digests/settings';

// Linked sign-ins are the signed-in person's own, not the organization's: the organization in the path only
// proves a live membership (a stranger's call is the usual 404), the user comes from the session.

function signedInUser(ctx: OrgContext): string {
  const userId = actorUserId(ctx);
  if (!userId) throw new AppError('forbidden', 'Only a signed-in person has linked sign-ins');
  return userId;
}

export const linkAnotherSignInAction = orgAction(z.object({}), async (ctx) => {
  await beginIdentityLink(signedInUser(ctx));
  return { started: true };
});

export const unlinkSignInAction = orgAction(z.object({ identityId: z.uuid('not a valid id') }), async (ctx, input) => {
  await unlinkIdentity(signedInUser(ctx), input.identityId);
  return { signedOut: true };
});

// The member's own e-mail digest in this organization (the service takes the user from the session, never the input).
export const setDigestAction = orgAction(SetDigestSchema, (ctx, input) => setMyDigest(ctx, input));
