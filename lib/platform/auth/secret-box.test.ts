import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '../env';
import { keyIdOf, open, seal, SecretBoxError } from './secret-box';

function useKeys(current: string | undefined, old: string[] = []) {
  if (current) process.env.BULWARK_ENCRYPTION_KEY = current; else delete process.env.BULWARK_ENCRYPTION_KEY;
  if (old.length) process.env.BULWARK_ENCRYPTION_KEYS_OLD = old.join(','); else delete process.env.BULWARK_ENCRYPTION_KEYS_OLD;
  resetEnvForTests();
}

afterEach(() => useKeys(undefined));

describe('secret box', () => {
  it('seals with the current key (AES-256-GCM, fresh nonce) and opens it again', () => {
    const key = randomBytes(32).toString('base64');
    useKeys(key);
    const a = seal('client-secret', 'row-1');
    const b = seal('client-secret', 'row-1');
    expect(a.keyId).toBe(keyIdOf(Buffer.from(key, 'base64')));
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain('client-secret');
    expect(open(a, 'row-1')).toBe('client-secret');
  });

  it('opens a value sealed with an old key while that key is listed, and names the key when it is not', () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    useKeys(oldKey);
    const sealed = seal('s', 'row');
    useKeys(newKey, [oldKey]);
    expect(open(sealed, 'row')).toBe('s');
    useKeys(newKey);
    expect(() => open(sealed, 'row')).toThrow(new SecretBoxError(`encryption key ${sealed.keyId} is not configured (BULWARK_ENCRYPTION_KEY / BULWARK_ENCRYPTION_KEYS_OLD)`));
  });

  it('refuses a ciphertext moved to another row or altered', () => {
    useKeys(randomBytes(32).toString('base64'));
    const sealed = seal('s', 'row-a');
    expect(() => open(sealed, 'row-b')).toThrow(SecretBoxError);
    const raw = Buffer.from(sealed.ciphertext, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => open({ ...sealed, ciphertext: raw.toString('base64') }, 'row-a')).toThrow(SecretBoxError);
  });
});
