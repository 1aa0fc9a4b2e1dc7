import type { TenantDb } from '../../platform/db/tenant';

export type UserRef = { id: string; name: string | null; email: string };

/** The people named by an organization's rows (requesters, deciders, actors), by id; unknown ids are left out. */
export async function usersById(db: TenantDb, ids: Iterable<string | null | undefined>): Promise<Map<string, UserRef>> {
  const unique = [...new Set([...ids].filter((id): id is string => typeof id === 'string'))];
  if (unique.length === 0) return new Map();
  // Only users who are (or were) part of this organization's history are asked for: the ids come from its rows.
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((user) => [user.id, user]));
}
