import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { SnapshotSchema, snapshotSchemaRegistry } from './schema';

/** The published JSON Schema of the snapshot, exactly as committed in snapshot.schema.json. */
export function renderSnapshotJsonSchema(): string {
  const schema = z.toJSONSchema(SnapshotSchema, { target: 'draft-2020-12', metadata: snapshotSchemaRegistry });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

// `npx tsx lib/analysis/snapshot/generate-json-schema.ts > lib/analysis/snapshot/snapshot.schema.json`. This folder is pure
// (no node:fs), so the script prints and the shell writes; snapshot-json-schema.test.ts fails when they drift.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderSnapshotJsonSchema());
}
