import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { env } from '../env';

export * from './generated/enums';
export { Prisma } from './generated/client';
export type * from './generated/models';

// Hash and secret columns are left out of every read unless a query asks for them by name.
const GLOBAL_OMIT = {
  agentToken: { tokenHash: true },
  apiToken: { tokenHash: true },
  invitation: { tokenHash: true },
  identityLinkIntent: { tokenHash: true },
  clusterInstallLink: { tokenHash: true },
  webhook: { secret: true },
  ssoConnection: { clientSecretCiphertext: true },
  snapshot: { body: true },
  report: { content: true },
} as const;

function createClient(url: string) {
  const adapter = new PrismaPg({ connectionString: url, max: 10, idleTimeoutMillis: 10_000 });
  // An interactive transaction waits up to maxWait for one of the pool's 10 connections. Prisma's default, 2 s, made a
  // burst of transactions that serialize on one row (53 saved views of one user at once) fail on a busy machine with
  // "Unable to start a transaction in the given time" instead of waiting their turn.
  return new PrismaClient({ adapter, omit: GLOBAL_OMIT, transactionOptions: { maxWait: 10_000 } });
}
export type BaseClient = ReturnType<typeof createClient>;

const globalForPrisma = globalThis as unknown as { bulwarkPrisma?: BaseClient; bulwarkPrismaUrl?: string };

/** One client per process (Next.js dev reloads modules; the global keeps the pool). */
export function basePrisma(): BaseClient {
  const url = env().DATABASE_URL;
  if (!globalForPrisma.bulwarkPrisma || globalForPrisma.bulwarkPrismaUrl !== url) {
    globalForPrisma.bulwarkPrisma = createClient(url);
    globalForPrisma.bulwarkPrismaUrl = url;
  }
  return globalForPrisma.bulwarkPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.bulwarkPrisma?.$disconnect();
  globalForPrisma.bulwarkPrisma = undefined;
}
