import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { env } from '../env';

// Secrets Bulwark must give back to a third party (an SSO connection's client secret) are stored encrypted:
// AES-256-GCM, a fresh 96-bit nonce per value, the key id beside the ciphertext so keys can rotate. The key id is
// a hash prefix of the key itself, so the operator never has to name keys and a wrong key is told apart from
// tampered data.

/** Anyone can read this one (it is in the source): it only keeps development and test databases from holding plain text. */
const DEVELOPMENT_KEY = createHash('sha256').update('bulwark-development-encryption-key-not-for-production').digest();
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export type Sealed = { ciphertext: string; keyId: string };
type Key = { id: string; secret: Buffer };

export class SecretBoxError extends Error {}

export function keyIdOf(secret: Buffer): string {
  return `k${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

function toKey(secret: Buffer): Key {
  return { id: keyIdOf(secret), secret };
}

/** The current key (BULWARK_ENCRYPTION_KEY; a development key outside production) and earlier ones still readable. */
export function keyring(): { current: Key; all: Map<string, Key> } {
  const e = env();
  const current = toKey(e.BULWARK_ENCRYPTION_KEY ? Buffer.from(e.BULWARK_ENCRYPTION_KEY, 'base64') : DEVELOPMENT_KEY);
  const all = new Map<string, Key>([[current.id, current]]);
  for (const old of e.BULWARK_ENCRYPTION_KEYS_OLD) {
    const key = toKey(Buffer.from(old, 'base64'));
    if (!all.has(key.id)) all.set(key.id, key);
  }
  // Outside production the development key stays readable, so rows written before a key was configured still open.
  if (e.NODE_ENV !== 'production' && !all.has(keyIdOf(DEVELOPMENT_KEY))) all.set(keyIdOf(DEVELOPMENT_KEY), toKey(DEVELOPMENT_KEY));
  return { current, all };
}

/** Encrypts with the current key. `context` (e.g. the row's id) is bound as additional data: a ciphertext moved to another row does not open. */
export function seal(plaintext: string, context: string): Sealed {
  const { current } = keyring();
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', current.secret, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64'), keyId: current.id };
}

/** Decrypts; throws SecretBoxError naming the key id when that key is not configured, or when the data was altered. */
export function open(sealed: Sealed, context: string): string {
  const key = keyring().all.get(sealed.keyId);
  if (!key) throw new SecretBoxError(`encryption key ${sealed.keyId} is not configured (BULWARK_ENCRYPTION_KEY / BULWARK_ENCRYPTION_KEYS_OLD)`);
  const raw = Buffer.from(sealed.ciphertext, 'base64');
  if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.secret, raw.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError(`sealed value does not open with key ${sealed.keyId} (altered, or bound to another record)`);
  }
}
