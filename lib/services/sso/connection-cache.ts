import { systemDb } from '../../platform/db/tenant';
import { open } from '../../platform/auth/secret-box';
import { logger } from '../../platform/log';
import { DiscoveryDocumentSchema, type DiscoveryDocument } from './discovery';

const log = logger.child({ component: 'sso' });

/** What sign-in needs of a connection: read per request (next-auth providers, session checks), so cached briefly. */
export type ActiveConnection = {
  id: string;
  organizationId: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupClaim: string;
  discovery: DiscoveryDocument;
};

/**
 * How long a process trusts what it read: a change made through this process invalidates at once; another web
 * replica sees it within this time (a disabled connection's sessions end on the first request after it).
 */
export const CONNECTION_CACHE_MS = 5_000;

const cache = new Map<string, { value: ActiveConnection | null; expiresAt: number }>();

/** Drops what this process remembers of a connection (or of all), after a change. */
export function invalidateSsoConnectionCache(connectionId?: string): void {
  if (connectionId) cache.delete(connectionId);
  else cache.clear();
}

/**
 * The enabled connection with this id, its secret decrypted; null when it does not exist, is disabled, or has no
 * valid discovery document. Crosses tenants on purpose: sign-in happens before any organization is chosen.
 */
export async function findActiveConnection(connectionId: string, now = Date.now()): Promise<ActiveConnection | null> {
  const hit = cache.get(connectionId);
  if (hit && hit.expiresAt > now) return hit.value;
  const row = await systemDb().ssoConnection.findUnique({
    where: { id: connectionId },
    omit: { clientSecretCiphertext: false },
  });
  let value: ActiveConnection | null = null;
  const discovery = row ? DiscoveryDocumentSchema.safeParse(row.discovery) : null;
  if (row?.enabled && discovery?.success) {
    let clientSecret: string | null = null;
    try {
      clientSecret = open({ ciphertext: row.clientSecretCiphertext, keyId: row.clientSecretKeyId }, row.id);
    } catch (error) {
      // A key removed too early (keys:rotate not run) makes the connection unusable, not the whole sign-in.
      log.error({ connectionId: row.id, reason: (error as Error).message }, 'SSO connection secret does not open');
    }
    if (clientSecret !== null) {
      value = {
        id: row.id, organizationId: row.organizationId, name: row.name, issuer: discovery.data.issuer, clientId: row.clientId,
        clientSecret, scopes: row.scopes, groupClaim: row.groupClaim, discovery: discovery.data,
      };
    }
  }
  cache.set(connectionId, { value, expiresAt: now + CONNECTION_CACHE_MS });
  return value;
}

/** Is this connection still enabled? The per-request session check (a disabled connection's sessions end). */
export async function isConnectionActive(connectionId: string): Promise<boolean> {
  return (await findActiveConnection(connectionId)) !== null;
}
