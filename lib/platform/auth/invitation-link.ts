import { generateToken } from './tokens';

/**
 * A new invitation link's secret part: the token goes into the link shown (or mailed) once, only its hash is
 * stored; the link expires after `expiryDays`.
 */
export function newInvitationLink(expiryDays: number, now = new Date()) {
  const { token, hash } = generateToken('invitation');
  return { token, stored: { tokenHash: hash, expiresAt: new Date(now.getTime() + expiryDays * 86_400_000) } };
}
