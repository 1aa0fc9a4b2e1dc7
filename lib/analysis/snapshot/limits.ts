/**
 * Default size limits for one snapshot upload. The backend reads its own values from configuration and
 * falls back to these; the agent checks the compressed size before sending, so a too-large snapshot is
 * reported where it was made instead of being refused with a 413 on every retry.
 */
export const MAX_SNAPSHOT_COMPRESSED_BYTES = 32 * 1024 * 1024;

/** A bound on gunzip output: a small body can inflate a thousandfold (a "zip bomb"). */
export const MAX_SNAPSHOT_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/**
 * The longest string value the credential detectors search. A longer one is not searched but redacted as
 * 'too-long-to-scan': it bounds the work one string can cause, and a value nobody looked at is not sent (env,
 * header and argument values of real workloads are far shorter; the schema caps annotations at 63 KiB anyway).
 */
export const MAX_SCANNED_VALUE_LENGTH = 64 * 1024;

export type SnapshotLimits = { maxCompressedBytes: number; maxDecompressedBytes: number };

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxCompressedBytes: MAX_SNAPSHOT_COMPRESSED_BYTES,
  maxDecompressedBytes: MAX_SNAPSHOT_DECOMPRESSED_BYTES,
};
