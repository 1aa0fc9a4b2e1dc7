import { isRecord, ParseIssue, readArray, readRecord, readString, readStringList, readStringMap } from './json';

export type LabelSelectorRequirement = { key: string; operator: string; values: string[] };
export type LabelSelector = { matchLabels: Record<string, string>; matchExpressions: LabelSelectorRequirement[] };

/** Reads a metav1.LabelSelector. Absent reads as undefined (callers decide what "no selector" means). */
export function readLabelSelector(raw: unknown, path: string): LabelSelector | undefined {
  const selector = readRecord(raw, path);
  if (!selector) return undefined;
  return {
    matchLabels: readStringMap(selector.matchLabels, `${path}.matchLabels`),
    matchExpressions: readArray(selector.matchExpressions, `${path}.matchExpressions`).map((item, index) => {
      const at = `${path}.matchExpressions[${index}]`;
      if (!isRecord(item)) throw new ParseIssue(at, 'a selector requirement');
      return {
        key: readString(item.key, `${at}.key`) ?? '',
        operator: readString(item.operator, `${at}.operator`) ?? '',
        values: readStringList(item.values, `${at}.values`),
      };
    }),
  };
}

/** True when the selector selects everything (`{}`): the shape of a default-deny NetworkPolicy. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

const NO_LABELS: Readonly<Record<string, string>> = {};

/** Kubernetes label selector semantics: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const actual = labels ?? NO_LABELS;
  // for-in, not Object.entries: no pair arrays per call (every workload against every policy of its namespace).
  for (const key in selector.matchLabels) {
    if (actual[key] !== selector.matchLabels[key]) return false;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(actual, key);
    const value = actual[key];
    switch (operator) {
      case 'In':
        if (!has || value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (has && value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An operator Kubernetes would have rejected selects nothing rather than everything.
        return false;
    }
  }
  return true;
}
