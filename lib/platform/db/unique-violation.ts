import { Prisma } from './client';

/** A unique index refused the row: P2002 from the client, P2010 with Postgres' 23505 from a raw statement. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  return error.code === 'P2002' || (error.code === 'P2010' && JSON.stringify(error.meta ?? {}).includes('23505'));
}
