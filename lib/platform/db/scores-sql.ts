import type { TenantTx } from './tenant';

export type DailyScoreInput = {
  organizationId: string;
  /** The cluster's id, or 'org' for the organization-wide score. */
  scopeKey: string;
  frameworkId: string;
  day: Date;
  score: number;
  accepted: number;
};

/**
 * The daily rollup of scores: the day's last score with its range, so a 90-day chart reads 90 rows. Inserts the
 * day's row or folds the new score into it.
 */
export async function upsertDailyScore(tx: TenantTx, input: DailyScoreInput): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "ScoreDaily" ("organizationId", "scopeKey", "frameworkId", "day", "score", "minScore", "maxScore", "accepted", "points")
    VALUES (${input.organizationId}::uuid, ${input.scopeKey}, ${input.frameworkId}, ${input.day}::date, ${input.score}, ${input.score}, ${input.score}, ${input.accepted}, 1)
    ON CONFLICT ("organizationId", "scopeKey", "frameworkId", "day") DO UPDATE SET
      "score" = EXCLUDED."score", "accepted" = EXCLUDED."accepted",
      "minScore" = LEAST("ScoreDaily"."minScore", EXCLUDED."score"),
      "maxScore" = GREATEST("ScoreDaily"."maxScore", EXCLUDED."score"),
      "points" = "ScoreDaily"."points" + 1`;
}
