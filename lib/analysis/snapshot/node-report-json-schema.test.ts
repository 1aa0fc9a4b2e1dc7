import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNodeReportJsonSchema } from './generate-node-report-json-schema';

describe('node-report.schema.json', () => {
  it('matches the zod schema (regenerate: npx tsx lib/analysis/snapshot/generate-node-report-json-schema.ts > lib/analysis/snapshot/node-report.schema.json)', () => {
    const committed = readFileSync(new URL('./node-report.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderNodeReportJsonSchema());
  });

  it('publishes the version and allows only redaction markers as encryption key secrets', () => {
    const schema = JSON.parse(renderNodeReportJsonSchema()) as {
      properties: { apiVersion: unknown };
      $defs: Record<string, { properties?: Record<string, { items?: { properties?: Record<string, unknown> } }> }>;
    };
    expect(schema.properties.apiVersion).toEqual({ type: 'string', const: 'bulwark.dev/node-report/v1' });
    expect(schema.$defs.EncryptionProvider?.properties?.keys?.items?.properties?.secret).toEqual({ $ref: '#/$defs/RedactionMarker' });
  });
});
