import { describe, expect, it } from 'vitest';
import { objectMatches } from './run';
import { parseSelectorText, selectorToText } from './selector-text';
import { LabelSelectorSpecSchema } from './spec';

const parsed = (text: string) => {
  const result = parseSelectorText(text);
  if (!result.ok) throw new Error(result.error);
  return result.selector;
};
const refused = (text: string) => {
  const result = parseSelectorText(text);
  if (result.ok) throw new Error(`accepted: ${text}`);
  return result.error;
};

describe('the editor\'s selector field (kubectl -l syntax)', () => {
  it('reads equality, set-based, exists and does-not-exist clauses into matchLabels and matchExpressions', () => {
    expect(parsed('env=prod, tier in (web, api), team notin (legacy,old), stage!=dev, owner, !deprecated, app.kubernetes.io/part-of==shop')).toEqual({
      matchLabels: { env: 'prod', 'app.kubernetes.io/part-of': 'shop' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'team', operator: 'NotIn', values: ['legacy', 'old'] },
        { key: 'stage', operator: 'NotIn', values: ['dev'] },
        { key: 'owner', operator: 'Exists', values: [] },
        { key: 'deprecated', operator: 'DoesNotExist', values: [] },
      ],
    });
  });

  it('an empty field is no selector; the result passes the rule schema unchanged', () => {
    expect(parsed('  ')).toBeUndefined();
    const selector = parsed('tier in (web), !legacy');
    expect(LabelSelectorSpecSchema.parse(selector)).toEqual(selector);
  });

  it('writes a selector back as text that reads to the same selector', () => {
    const selector = { matchLabels: { env: 'prod' }, matchExpressions: [
      { key: 'tier', operator: 'In' as const, values: ['web', 'api'] },
      { key: 'stage', operator: 'NotIn' as const, values: ['dev'] },
      { key: 'team', operator: 'NotIn' as const, values: ['a', 'b'] },
      { key: 'owner', operator: 'Exists' as const, values: [] },
      { key: 'legacy', operator: 'DoesNotExist' as const, values: [] },
    ] };
    const text = selectorToText(selector);
    expect(text).toBe('env=prod, tier in (web, api), stage!=dev, team notin (a, b), owner, !legacy');
    expect(parsed(text)).toEqual(selector);
    expect(selectorToText(undefined)).toBe('');
  });

  it('refuses mistakes with the clause they are in', () => {
    expect(refused('env=prod, tier in (web, api')).toBe('missing ")" in "tier in (web, api"');
    expect(refused('tier in ()')).toBe('"tier in ()" needs at least one value in the parentheses');
    expect(refused('tier in web')).toMatch(/^"tier in web" is not a selector/);
    expect(refused('env=prod, env=dev')).toBe('"env" must equal both "prod" and "dev": no object can');
    expect(refused('env=has space')).toMatch(/^"has space" in "env=has space" is not a label value/);
    expect(refused('-bad=x')).toMatch(/^"-bad" in "-bad=x" is not a label key/);
    expect(refused('a)')).toMatch(/^"\)" without "\("/);
  });

  it('the parsed selector matches as Kubernetes does (In, NotIn, Exists, DoesNotExist)', () => {
    const selector = parsed('tier in (web, api), stage!=dev, owner, !legacy')!;
    const object = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', labels } });
    const match = { resources: [{ kinds: ['Service'] }], objectSelector: selector };
    expect(objectMatches(match, object({ tier: 'web', owner: 'x' }), undefined)).toBe(true);
    expect(objectMatches(match, object({ tier: 'db', owner: 'x' }), undefined)).toBe(false);
    expect(objectMatches(match, object({ tier: 'web', owner: 'x', stage: 'dev' }), undefined)).toBe(false);
    expect(objectMatches(match, object({ tier: 'web' }), undefined)).toBe(false);
    expect(objectMatches(match, object({ tier: 'web', owner: 'x', legacy: 'yes' }), undefined)).toBe(false);
  });
});
