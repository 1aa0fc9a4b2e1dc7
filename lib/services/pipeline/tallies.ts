import { foldFindingTallies } from '../../platform/db/tallies-sql';

/**
 * The maintenance step that compacts the finding tallies the dashboard reads: folds the delta rows the Finding
 * triggers append into one row per group, for every organization (lib/platform/db/tallies-sql.ts has the
 * statement and why it is safe while deltas keep arriving).
 * Returns how many rows it folded and how many it left.
 */
export async function compactFindingTallies(): Promise<{ folded: number; kept: number }> {
  return foldFindingTallies();
}
