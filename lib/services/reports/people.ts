import type { TenantDb } from '../../platform/db/tenant';

/**
 * Display names of users and teams, looked up in batches and remembered for one report. Users are global rows;
 * only ids that the organization's own rows point at are ever asked for.
 */
export function createPeople(db: TenantDb) {
  const users = new Map<string, string>();
  const teams = new Map<string, string>();

  async function load(userIds: Iterable<string | null | undefined>, teamIds: Iterable<string | null | undefined> = []): Promise<void> {
    const missingUsers = [...new Set([...userIds].filter((id): id is string => Boolean(id) && !users.has(id as string)))];
    const missingTeams = [...new Set([...teamIds].filter((id): id is string => Boolean(id) && !teams.has(id as string)))];
    if (missingUsers.length > 0) {
      for (const user of await db.user.findMany({ where: { id: { in: missingUsers } }, select: { id: true, name: true, email: true } })) {
        users.set(user.id, user.name ? `${user.name} (${user.email})` : user.email);
      }
    }
    if (missingTeams.length > 0) {
      for (const team of await db.team.findMany({ where: { id: { in: missingTeams } }, select: { id: true, name: true } })) teams.set(team.id, `team: ${team.name}`);
    }
  }

  return {
    load,
    user: (id: string | null | undefined, fallback = 'unknown user'): string => (id ? users.get(id) ?? fallback : fallback),
    owner: (userId: string | null, teamId: string | null): string | null => (userId ? users.get(userId) ?? 'unknown user' : teamId ? teams.get(teamId) ?? 'unknown team' : null),
  };
}
export type People = ReturnType<typeof createPeople>;
