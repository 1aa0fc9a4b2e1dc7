/** A JSON value as it appears in evidence: what the object held at the offending path. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Thrown by the readers below when a field has the wrong type. evaluate() catches it per object and reports it
 * in parseErrors: one malformed object must never stop the evaluation of the others.
 */
export class ParseIssue extends Error {
  readonly path: string;
  constructor(path: string, expected: string, field?: string) {
    const at = field === undefined ? path : field.startsWith('[') ? `${path}${field}` : `${path}.${field}`;
    super(`${at}: expected ${expected}`);
    this.path = at;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A record, undefined when the field is absent or null; a value of another type is a ParseIssue. */
export function readRecord(value: unknown, path: string, field?: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new ParseIssue(path, 'an object', field);
  return value;
}

export function readArray(value: unknown, path: string, field?: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ParseIssue(path, 'a list', field);
  return value;
}

export function readString(value: unknown, path: string, field?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ParseIssue(path, 'a string', field);
  return value;
}

export function readBoolean(value: unknown, path: string, field?: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ParseIssue(path, 'true or false', field);
  return value;
}

export function readNumber(value: unknown, path: string, field?: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ParseIssue(path, 'a number', field);
  return value;
}

/** A list of strings; non-string items are a ParseIssue. */
export function readStringList(value: unknown, path: string, field?: string): string[] {
  const list = readArray(value, path, field);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') throw new ParseIssue(field === undefined ? path : `${path}.${field}`, 'a string', `[${i}]`);
  }
  return list as string[];
}

/** A string-to-string map (labels, annotations, resource quantities given as strings or numbers). */
export function readStringMap(value: unknown, path: string, field?: string): Record<string, string> {
  const record = readRecord(value, path, field);
  if (!record) return EMPTY_MAP;
  // The common case (every value a string) is returned as is, without copying.
  let clean = true;
  for (const key in record) {
    if (typeof record[key] !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return record as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string') out[key] = item;
    else if (typeof item === 'number') out[key] = String(item);
    else if (item !== null && item !== undefined) throw new ParseIssue(field === undefined ? path : `${path}.${field}`, 'a string', key);
  }
  return out;
}

const EMPTY_MAP: Record<string, string> = Object.freeze({}) as Record<string, string>;
