/**
 * What changed between two versions of a custom control, field by field; the rule is compared leaf by leaf
 * (`rule.validations.0.expression`), which reads better in the history than a text diff of the JSON and needs no
 * library (a flatten and a compare).
 */
export type VersionChange = { field: string; before: string | null; after: string | null };

type Versioned = { title: string; severity: string; rationale: string; remediation: string; rule: unknown; requirementIds: string[] };

function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) into.set(path, '[]');
    value.forEach((item, index) => flatten(item, `${path}.${index}`, into));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) into.set(path, '{}');
    for (const [key, item] of entries) flatten(item, `${path}.${key}`, into);
  } else if (value !== undefined) {
    into.set(path, typeof value === 'string' ? value : JSON.stringify(value));
  }
}

export function diffVersions(before: Versioned, after: Versioned): VersionChange[] {
  const changes: VersionChange[] = [];
  for (const field of ['title', 'severity', 'rationale', 'remediation'] as const) {
    if (before[field] !== after[field]) changes.push({ field, before: before[field], after: after[field] });
  }
  const a = [...before.requirementIds].sort().join(', ');
  const b = [...after.requirementIds].sort().join(', ');
  if (a !== b) changes.push({ field: 'requirementIds', before: a || null, after: b || null });
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(before.rule, 'rule', left);
  flatten(after.rule, 'rule', right);
  for (const path of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const x = left.get(path) ?? null;
    const y = right.get(path) ?? null;
    if (x !== y) changes.push({ field: path, before: x, after: y });
  }
  return changes;
}
