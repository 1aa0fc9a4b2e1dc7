/** A JSON value as it appears in evidence: what the object held at the offending path. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Thrown by the readers below when a field has the wrong type. evaluate() catches it per object and reports it
 * in parseErrors: one malformed object must never stop the evaluation of the others.
 */
export class ParseIssue extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path}: expected ${expected}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A record, undefined when the field is absent or null; a value of another type is a ParseIssue. */
export function readRecord(value: unknown, path: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new ParseIssue(path, 'an object');
  return value;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ParseIssue(path, 'a list');
  return value;
}

export function readString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ParseIssue(path, 'a string');
  return value;
}

export function readBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ParseIssue(path, 'true or false');
  return value;
}

export function readNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParseIssue(path, 'a number');
  return value;
}

/** A list of strings; non-string items are a ParseIssue. */
export function readStringList(value: unknown, path: string): string[] {
  return readArray(value, path).map((item, i) => {
    if (typeof item !== 'string') throw new ParseIssue(`${path}[${i}]`, 'a string');
    return item;
  });
}

/** A string-to-string map (labels, annotations, resource quantities given as strings or numbers). */
export function readStringMap(value: unknown, path: string): Record<string, string> {
  const record = readRecord(value, path);
  if (!record) return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number') out[key] = String(item);
    else if (item !== null && item !== undefined) throw new ParseIssue(`${path}.${key}`, 'a string');
  }
  return out;
}
