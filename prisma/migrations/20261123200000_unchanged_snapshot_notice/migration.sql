-- An agent whose cluster did not change sends a small notice instead of the whole snapshot: the new Snapshot row
-- reuses the body of the base it names (lib/ingest/ingest-unchanged.ts). contentDigest is snapshotBodyDigest of
-- the body (lib/snapshot/build.ts), set when a snapshot is evaluated and copied for a notice; baseSnapshotId is
-- the snapshot a notice's body came from. Written by hand.
ALTER TABLE "Snapshot" ADD COLUMN "contentDigest" TEXT;
ALTER TABLE "Snapshot" ADD COLUMN "baseSnapshotId" UUID;
