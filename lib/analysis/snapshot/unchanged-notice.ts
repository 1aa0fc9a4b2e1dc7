import { z } from 'zod';

/**
 * The agent → backend contract for a collection that repeats a snapshot the server already accepted: instead of
 * the whole snapshot, the agent sends this notice (lib/services/ingest/ingest-unchanged.ts takes it).
 */
export const UNCHANGED_NOTICE_CONTENT_TYPE = 'application/vnd.bulwark.unchanged+json';

export const UnchangedNoticeSchema = z.object({
  schemaVersion: z.literal(1),
  /** The last snapshot the server accepted from this agent, whose content this collection repeats. */
  baseSnapshotId: z.uuid(),
  /** snapshotBodyDigest of this collection (lib/analysis/snapshot/build.ts). */
  contentDigest: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (sha256)'),
  collectedAt: z.iso.datetime({ offset: true }),
}).strict();

export type UnchangedNotice = z.infer<typeof UnchangedNoticeSchema>;
