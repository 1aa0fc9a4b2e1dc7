/**
 * Default size limits for one snapshot upload. The backend reads its own values from configuration and
 * falls back to these; the agent checks the compressed size before sending, so a too-large snapshot is
 * reported where it was made instead of being refused with a 413 on every retry.
 */
export const MAX_SNAPSHOT_COMPRESSED_BYTES = 32 * 1024 * 1024;

/** A bound on gunzip output: a small body can inflate a thousandfold (a "zip bomb"). */
export const MAX_SNAPSHOT_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export type SnapshotLimits = { maxCompressedBytes: number; maxDecompressedBytes: number };

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxCompressedBytes: MAX_SNAPSHOT_COMPRESSED_BYTES,
  maxDecompressedBytes: MAX_SNAPSHOT_DECOMPRESSED_BYTES,
};
