'use server';
import { z } from 'zod';
import { acceptInvitation, INVITATION_REFUSALS, InvitationRefusedError } from '@/lib/services/orgs/invitations';
import { currentSignIn } from '@/lib/web/sign-in-state';
import type { ActionResult } from '@/lib/web/action';
import { logger } from '@/lib/platform/log';

const TokenSchema = z.string().min(1).max(200);
const log = logger.child({ component: 'invitation' });

/** The explicit click that accepts an invitation; the session's own identity decides whether it may. */
export async function acceptInvitationAction(token: unknown): Promise<ActionResult<{ organizationSlug: string }>> {
  const parsed = TokenSchema.safeParse(token);
  if (!parsed.success) return { ok: false, error: { code: 'not_found', message: INVITATION_REFUSALS.unknown.title } };
  const signIn = await currentSignIn();
  if (!signIn) return { ok: false, error: { code: 'unauthenticated', message: 'Your session has ended; sign in again' } };
  try {
    const accepted = await acceptInvitation(parsed.data, signIn);
    return { ok: true, data: { organizationSlug: accepted.organizationSlug } };
  } catch (error) {
    if (error instanceof InvitationRefusedError) {
      const { title, detail } = INVITATION_REFUSALS[error.reason];
      return { ok: false, error: { code: error.code, message: `${title}. ${detail}` } };
    }
    log.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'accepting an invitation failed');
    return { ok: false, error: { code: 'internal', message: 'Something went wrong on our side; try again' } };
  }
}
