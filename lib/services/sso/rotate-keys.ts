import { systemDb, dbFor } from '../../platform/db/tenant';
import { systemContext } from '../../platform/auth/context';
import { keyring, open, seal } from '../../platform/auth/secret-box';
import { writeAudit } from '../audit/write-audit';
import { invalidateSsoConnectionCache } from './connection-cache';

export type RotateKeysResult = { keyId: string; reencrypted: number; alreadyCurrent: number; failed: { connectionId: string; reason: string }[] };

/**
 * `npm run admin -- keys:rotate`: re-encrypts every stored secret with the current BULWARK_ENCRYPTION_KEY, reading
 * each with whichever configured key sealed it. Afterwards the old keys (BULWARK_ENCRYPTION_KEYS_OLD) can be
 * removed. A secret no configured key opens is reported, left as it is, and makes the command fail.
 */
export async function rotateEncryptionKeys(): Promise<RotateKeysResult> {
  const { current } = keyring();
  // Crosses tenants on purpose: an operator task over every organization's connections.
  const rows = await systemDb().ssoConnection.findMany({
    select: { id: true, organizationId: true, name: true, clientSecretKeyId: true, clientSecretCiphertext: true },
    orderBy: { createdAt: 'asc' },
  });
  const result: RotateKeysResult = { keyId: current.id, reencrypted: 0, alreadyCurrent: 0, failed: [] };
  for (const row of rows) {
    if (row.clientSecretKeyId === current.id) { result.alreadyCurrent += 1; continue; }
    let plaintext: string;
    try {
      plaintext = open({ ciphertext: row.clientSecretCiphertext, keyId: row.clientSecretKeyId }, row.id);
    } catch (error) {
      result.failed.push({ connectionId: row.id, reason: (error as Error).message });
      continue;
    }
    const sealed = seal(plaintext, row.id);
    const ctx = systemContext(row.organizationId, 'keys:rotate');
    await dbFor(ctx).$transaction(async (tx) => {
      // Only if nobody rotated the secret meanwhile: a concurrent "rotate secret" already used the current key.
      const changed = await tx.ssoConnection.updateMany({
        where: { id: row.id, clientSecretKeyId: row.clientSecretKeyId },
        data: { clientSecretCiphertext: sealed.ciphertext, clientSecretKeyId: sealed.keyId },
      });
      if (changed.count === 1) {
        await writeAudit(tx, ctx, { action: 'sso_connection.secret_reencrypted', targetType: 'SsoConnection', targetId: row.id, before: { keyId: row.clientSecretKeyId }, after: { keyId: sealed.keyId } });
      }
    });
    invalidateSsoConnectionCache(row.id);
    result.reencrypted += 1;
  }
  return result;
}
