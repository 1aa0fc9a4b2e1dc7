import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'agent' | 'api' | 'invitation' | 'install';

const PREFIX: Record<TokenKind, string> = { agent: 'bwa_', api: 'bwk_', invitation: 'bwi_', install: 'bwl_' };

/** A new token: shown to the user once; only its hash and a display prefix are stored. */
export function generateToken(kind: TokenKind): { token: string; hash: string; prefix: string } {
  const token = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, 12) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenKind(token: string): TokenKind | null {
  if (token.startsWith(PREFIX.agent)) return 'agent';
  if (token.startsWith(PREFIX.api)) return 'api';
  if (token.startsWith(PREFIX.invitation)) return 'invitation';
  if (token.startsWith(PREFIX.install)) return 'install';
  return null;
}

/** Constant-time comparison of two hex hashes (the lookup is by hash; this guards the final check). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
