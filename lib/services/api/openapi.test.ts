import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  it('documents every v1 route with its parameters from the zod schemas', () => {
    const doc = openApiDocument('http://localhost:3000') as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/snapshots', '/api/v1/orgs/{org}/findings', '/api/v1/orgs/{org}/scores']));
    const findingParams = doc.paths['/api/v1/orgs/{org}/findings']?.get?.parameters?.map((p) => p.name);
    expect(findingParams).toEqual(expect.arrayContaining(['severity', 'status', 'cursor', 'limit', 'mine', 'overdue']));
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
