import type { LabelSelectorSpec } from './spec';

/**
 * A label selector as one line of text, in kubectl's `-l` syntax, for the custom control editor's namespace and
 * object selector fields:
 *
 *   env=prod, tier in (web, api), team notin (legacy), owner, !deprecated, stage!=dev
 *
 * `k=v` (or `k==v`) is matchLabels; `k in (…)` In, `k notin (…)` and `k!=v` NotIn, `k` Exists, `!k` DoesNotExist.
 * Parsing gives the selector, or the first mistake with the clause it is in, so the form shows it at the field.
 */

export type SelectorTextResult = { ok: true; selector: LabelSelectorSpec | undefined } | { ok: false; error: string };

// A label key: an optional DNS prefix and a name (kubernetes.io/metadata.name, app.kubernetes.io/part-of, env).
const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// A label value: empty, or up to 63 characters starting and ending alphanumeric.
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at commas outside parentheses; an unclosed or stray parenthesis is a mistake. */
function clauses(text: string): string[] | string {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) return `")" without "(" in "${(current + char).trim()}"`;
    if (depth > 1) return `nested parentheses in "${(current + char).trim()}"`;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (depth !== 0) return `missing ")" in "${current.trim()}"`;
  parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

function checkKey(key: string, clause: string): string | null {
  if (key.length > 317 || !KEY.test(key)) return `"${key}" in "${clause}" is not a label key (letters, digits, - _ . and an optional prefix/)`;
  return null;
}
function checkValue(value: string, clause: string): string | null {
  if (value.length > 63 || !VALUE.test(value)) return `"${value}" in "${clause}" is not a label value (at most 63 letters, digits, - _ .)`;
  return null;
}

export function parseSelectorText(text: string): SelectorTextResult {
  const parts = clauses(text);
  if (typeof parts === 'string') return { ok: false, error: parts };
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorSpec['matchExpressions'] = [];
  for (const clause of parts) {
    const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/i.exec(clause);
    if (set) {
      const [, key, op, inner] = set as unknown as [string, string, string, string];
      const values = inner.split(',').map((v) => v.trim());
      if (values.length === 0 || values.every((v) => v === '')) return { ok: false, error: `"${clause}" needs at least one value in the parentheses` };
      const bad = checkKey(key, clause) ?? values.map((v) => checkValue(v, clause)).find((e) => e !== null) ?? null;
      if (bad) return { ok: false, error: bad };
      matchExpressions.push({ key, operator: op.toLowerCase() === 'in' ? 'In' : 'NotIn', values: [...new Set(values)] });
      continue;
    }
    const pair = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(clause);
    if (pair) {
      const [, key, op, value] = pair as unknown as [string, string, string, string];
      const bad = checkKey(key, clause) ?? checkValue(value, clause);
      if (bad) return { ok: false, error: bad };
      if (op === '!=') {
        matchExpressions.push({ key, operator: 'NotIn', values: [value] });
      } else {
        if (key in matchLabels && matchLabels[key] !== value) return { ok: false, error: `"${key}" must equal both "${matchLabels[key]}" and "${value}": no object can` };
        matchLabels[key] = value;
      }
      continue;
    }
    const absent = /^!\s*(\S+)$/.exec(clause);
    if (absent) {
      const bad = checkKey(absent[1]!, clause);
      if (bad) return { ok: false, error: bad };
      matchExpressions.push({ key: absent[1]!, operator: 'DoesNotExist', values: [] });
      continue;
    }
    if (/^\S+$/.test(clause)) {
      const bad = checkKey(clause, clause);
      if (bad) return { ok: false, error: bad };
      matchExpressions.push({ key: clause, operator: 'Exists', values: [] });
      continue;
    }
    return { ok: false, error: `"${clause}" is not a selector: use key=value, key!=value, key in (a, b), key notin (a, b), key or !key` };
  }
  if (Object.keys(matchLabels).length === 0 && matchExpressions.length === 0) return { ok: true, selector: undefined };
  return { ok: true, selector: { matchLabels, matchExpressions } };
}

/** The selector as the editor shows it (parseSelectorText reads it back to the same selector). */
export function selectorToText(selector: LabelSelectorSpec | undefined): string {
  if (!selector) return '';
  const labels = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  const expressions = selector.matchExpressions.map((e) => {
    switch (e.operator) {
      case 'In': return `${e.key} in (${e.values.join(', ')})`;
      case 'NotIn': return e.values.length === 1 ? `${e.key}!=${e.values[0]}` : `${e.key} notin (${e.values.join(', ')})`;
      case 'Exists': return e.key;
      case 'DoesNotExist': return `!${e.key}`;
    }
  });
  return [...labels, ...expressions].join(', ');
}
