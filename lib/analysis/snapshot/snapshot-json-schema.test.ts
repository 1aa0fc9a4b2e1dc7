import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSnapshotJsonSchema } from './generate-json-schema';

describe('snapshot.schema.json', () => {
  it('matches the zod schema (regenerate: npx tsx lib/analysis/snapshot/generate-json-schema.ts > lib/analysis/snapshot/snapshot.schema.json)', () => {
    const committed = readFileSync(new URL('./snapshot.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderSnapshotJsonSchema());
  });

  it('publishes the redaction marker as the only non-string env value', () => {
    const schema = JSON.parse(renderSnapshotJsonSchema()) as { $defs: Record<string, { properties?: Record<string, unknown> }> };
    expect(schema.$defs.EnvVar?.properties?.value).toEqual({ anyOf: [{ type: 'string' }, { $ref: '#/$defs/RedactedValue' }] });
  });
});
