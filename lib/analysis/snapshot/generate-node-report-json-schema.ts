import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { nodeReportSchema, nodeReportSchemaRegistry } from './node-report';

/** The published JSON Schema of the node report, exactly as committed in node-report.schema.json. */
export function renderNodeReportJsonSchema(): string {
  const schema = z.toJSONSchema(nodeReportSchema, { target: 'draft-2020-12', metadata: nodeReportSchemaRegistry });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

// `npx tsx lib/analysis/snapshot/generate-node-report-json-schema.ts > lib/analysis/snapshot/node-report.schema.json`
// (this folder is pure: the script prints, the shell writes); node-report-json-schema.test.ts fails when they drift.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(renderNodeReportJsonSchema());
}
