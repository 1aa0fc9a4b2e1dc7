import { basePrisma } from './client';

/** One round trip to Postgres (the readiness probe): resolves when the database answers a trivial query. */
export async function pingDatabase(): Promise<void> {
  await basePrisma().$queryRaw`SELECT 1`;
}
