import { describe, expect, it } from 'vitest';
import { evaluate } from '@/lib/analysis/engine';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { deployment, ingress, namespace, roleBinding, service, snapshotOf, user, group, serviceAccountSubject } from '@/lib/testing/k8s';
import { compileCel, CEL_LIMITS } from './compile';
import { CUSTOM_CONTROL_EXAMPLES } from './examples';
import { runRule } from './run';
import { compileRule, type RuleSpec } from './spec';

const NOW = new Date('2026-01-01T00:00:00Z');
const example = (key: string) => {
  const found = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === key);
  if (!found) throw new Error(key);
  return found;
};
const compiled = (rule: RuleSpec) => {
  const result = compileRule(rule);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.rule;
};
// A clock that stands still: a busy machine's first, unoptimised run of a rule must not trip the 50 ms limit per object
// (the limits have their own test, with a clock it drives).
const runOn = (rule: RuleSpec, objects: KubeObject[], params: Record<string, unknown> = {}) =>
  runRule(compiled(rule), { objects: snapshotOf(objects).objects, isCollected: () => true, params, includePlatform: false, clock: () => 0 });
const names = (run: ReturnType<typeof runOn>) => run.violations.map((v) => `${v.ref.namespace ?? ''}/${v.ref.name}`).sort();

describe('compile errors carry the reason and the position', () => {
  it('a syntax error points at the column', () => {
    const result = compileCel('object.spec +', 'bool');
    expect(result).toMatchObject({ ok: false, error: { message: 'Unexpected token: EOF', position: { line: 1, column: 14 } } });
  });

  it('an unknown variable is refused where it is written', () => {
    const result = compileCel('object.x == 1 &&\n  request.user == "a"', 'bool');
    expect(result).toMatchObject({ ok: false, error: { message: 'Unknown variable: request', position: { line: 2, column: 3 } } });
  });

  it('a non-boolean validation and a non-string message are refused', () => {
    expect(compileCel('1 + 2', 'bool')).toMatchObject({ ok: false, error: { message: 'the expression returns int, not bool' } });
    expect(compileCel('size(object.spec)', 'string')).toMatchObject({ ok: false, error: { message: 'the expression returns int, not string' } });
  });

  it('a regular expression outside RE2 (lookbehind) is refused at its literal', () => {
    const result = compileCel('object.metadata.name.matches("(?<=x)a")', 'bool');
    expect(result).toMatchObject({ ok: false, error: { position: { column: 30 } } });
    if (!result.ok) expect(result.error.message).toMatch(/^invalid RE2 regular expression/);
  });

  it('matches on a value that is not a string is refused under the name the author wrote', () => {
    const result = compileCel('object.spec.replicas == 1 && 1.matches("a")', 'bool');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("found no matching overload for 'int.matches(string)'");
  });

  it('the expression runs as written: parentheses and small doubles survive compilation', () => {
    const run = (source: string) => {
      const result = compileCel(source, 'any');
      if (!result.ok) throw new Error(result.error.message);
      return result.program.run({ object: { ratio: 0.5 }, namespaceObject: null, params: {} });
    };
    expect(run('10 - (5 - 3)')).toBe(8n);
    expect(run('object.ratio + 0.0000000001 > 0.5')).toBe(true);
    expect(run('1e21 > 1e20')).toBe(true);
  });

  it('compileRule names the field of every failing expression', () => {
    const result = compileRule({
      match: { resources: [{ kinds: ['Ingress'] }] },
      validations: [{ expression: 'true' }, { expression: 'object.', messageExpression: '42' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['validations.1.expression', 'validations.1.messageExpression']);
  });

  it('every example in the library compiles', () => {
    for (const e of CUSTOM_CONTROL_EXAMPLES) expect(compileRule(e.rule).ok, e.key).toBe(true);
  });
});

describe('cost limits', () => {
  it('refuses three nested comprehensions and accepts two', () => {
    const three = compileCel('object.a.all(x, object.b.all(y, object.c.all(z, z == x && y == x)))', 'bool');
    expect(three.ok).toBe(false);
    if (!three.ok) expect(three.error.message).toMatch(/estimated cost \(\d+\) exceeds the limit of 1000000/);
    expect(compileCel('object.a.all(x, object.b.exists(y, y == x))', 'bool').ok).toBe(true);
  });

  it('refuses an expression longer than the limit', () => {
    const long = `${'true && '.repeat(CEL_LIMITS.maxExpressionLength / 8)}true`;
    expect(compileCel(long, 'bool')).toMatchObject({ ok: false, error: { message: `the expression is longer than ${CEL_LIMITS.maxExpressionLength} characters` } });
  });

  it('a catastrophic regex runs in linear time (RE2, not backtracking)', () => {
    const rule: RuleSpec = { match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'object.metadata.annotations.note.matches("^(a+)+$")' }] };
    const started = performance.now();
    const run = runOn(rule, [service({ name: 's', annotations: { note: `${'a'.repeat(5000)}!` } })]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(names(run)).toEqual(['team-a/s']);
  });

  it('the per-control time limit stops a slow rule and records it; per-object overruns are recorded', () => {
    let now = 0;
    const clock = () => (now += 30);
    const objects = Array.from({ length: 10 }, (_, i) => service({ name: `s${i}` }));
    const run = runRule(compiled({ match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'true' }] }), {
      objects: snapshotOf(objects).objects, isCollected: () => true, params: {}, includePlatform: false, limits: { perObjectMs: 20, perControlMs: 100 }, clock,
    });
    expect(run.stopped).toBe(true);
    expect(run.evaluated).toBeLessThan(10);
    expect(run.errors.some((e) => e.message.includes('over the 20 ms limit per object'))).toBe(true);
    expect(run.errors.at(-1)?.message).toMatch(/^stopped after 100 ms/);
  });
});

describe('match semantics', () => {
  const base = (match: RuleSpec['match']): RuleSpec => ({ match, validations: [{ expression: 'false', message: 'x' }] });
  const objects = [
    namespace('prod', { env: 'prod' }),
    namespace('dev', { env: 'dev' }),
    namespace('ingress-public', { env: 'prod' }),
    service({ name: 'a', namespace: 'prod', labels: { tier: 'web' } }),
    service({ name: 'b', namespace: 'dev' }),
    service({ name: 'c', namespace: 'ingress-public', labels: { tier: 'web' } }),
    deployment({ name: 'd', namespace: 'prod' }),
  ];

  it('by kind and API group', () => {
    expect(names(runOn(base({ resources: [{ apiGroups: [''], kinds: ['Service'] }] }), objects))).toEqual(['dev/b', 'ingress-public/c', 'prod/a']);
    expect(names(runOn(base({ resources: [{ apiGroups: ['apps'], kinds: ['Service'] }] }), objects))).toEqual([]);
    expect(names(runOn(base({ resources: [{ kinds: ['Deployment'] }] }), objects))).toEqual(['prod/d']);
  });

  it('by namespace name and pattern, and excluded namespaces', () => {
    const services = [{ kinds: ['Service'] }];
    expect(names(runOn(base({ resources: services, namespaces: ['prod', 'ingress-*'] }), objects))).toEqual(['ingress-public/c', 'prod/a']);
    expect(names(runOn(base({ resources: services, excludedNamespaces: ['ingress-*'] }), objects))).toEqual(['dev/b', 'prod/a']);
  });

  it('by namespace label selector (In, NotIn) and object label selector', () => {
    const services = [{ kinds: ['Service'] }];
    const prod = { matchLabels: { env: 'prod' }, matchExpressions: [] };
    expect(names(runOn(base({ resources: services, namespaceSelector: prod }), objects))).toEqual(['ingress-public/c', 'prod/a']);
    const notDev = { matchLabels: {}, matchExpressions: [{ key: 'env', operator: 'NotIn' as const, values: ['dev'] }] };
    expect(names(runOn(base({ resources: services, namespaceSelector: notDev, excludedNamespaces: ['ingress-*'] }), objects))).toEqual(['prod/a']);
    const web = { matchLabels: { tier: 'web' }, matchExpressions: [] };
    expect(names(runOn(base({ resources: services, objectSelector: web, namespaces: ['dev', 'prod'] }), objects))).toEqual(['prod/a']);
  });

  it('cluster-scoped objects never match a namespace list; a Namespace is selected by its own labels', () => {
    const nsRule = (match: Partial<RuleSpec['match']>) => base({ resources: [{ kinds: ['Namespace'] }], ...match });
    expect(names(runOn(nsRule({ namespaceSelector: { matchLabels: { env: 'prod' }, matchExpressions: [] } }), objects))).toEqual(['/ingress-public', '/prod']);
    expect(names(runOn(base({ resources: [{ kinds: ['ClusterRole'] }], namespaces: ['prod'] }), objects))).toEqual([]);
  });

  it('namespaceObject is the object\'s Namespace', () => {
    const rule: RuleSpec = { match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'namespaceObject.metadata.labels.env != "prod"' }] };
    expect(names(runOn(rule, objects))).toEqual(['ingress-public/c', 'prod/a']);
  });
});

describe('messages and runtime errors', () => {
  it('messageExpression builds the message; a failing one falls back to message', () => {
    const rule = (messageExpression: string): RuleSpec => ({
      match: { resources: [{ kinds: ['Service'] }] },
      validations: [{ expression: 'false', message: 'fixed', messageExpression }],
    });
    expect(runOn(rule('"svc " + object.metadata.name + " fails"'), [service({ name: 'web' })]).violations[0]?.message).toBe('svc web fails');
    expect(runOn(rule('object.spec.nothing.here'), [service({ name: 'web' })]).violations[0]?.message).toBe('fixed');
  });

  it('a runtime error is recorded on the object, the others are still evaluated', () => {
    const rule: RuleSpec = { match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'object.metadata.labels.team == "a"' }] };
    const run = runOn(rule, [service({ name: 'nolabels' }), service({ name: 'other', labels: { team: 'b' } }), service({ name: 'ok', labels: { team: 'a' } })]);
    expect(names(run)).toEqual(['team-a/other']);
    expect(run.errors).toEqual([{ ref: expect.objectContaining({ name: 'nolabels' }), message: expect.stringMatching(/^validation 1: No such key: labels/) }]);
    expect(run.evaluated).toBe(3);
  });

  it('a validation returning a non-boolean at run time is an error, not a pass', () => {
    const rule: RuleSpec = { match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'object.metadata.name' }] };
    // dyn passes the check; the runner refuses the string result.
    const result = compileRule(rule);
    if (result.ok) {
      const run = runRule(result.rule, { objects: snapshotOf([service({ name: 'x' })]).objects, isCollected: () => true, params: {}, includePlatform: false, clock: () => 0 });
      expect(run.violations).toEqual([]);
      expect(run.errors[0]?.message).toBe('validation 1 returned string, not a boolean');
    } else {
      expect(result.errors[0]?.field).toBe('validations.0.expression');
    }
  });
});

describe('maps with a key named like an Object property', () => {
  // The CEL library types a JavaScript object by its `constructor` property: a label `constructor: x` used to make
  // every rule reading the labels fail on that object, so anyone able to label a Deployment could slip past a rule.
  it('a label `constructor` is one key among others, and the object is judged like any other', () => {
    const rule = example('prod-owner-label').rule;
    const run = runOn(rule, [
      deployment({ name: 'dodger', namespace: 'prod', labels: { constructor: 'x' } }),
      deployment({ name: 'owned', namespace: 'prod', labels: { constructor: 'x', owner: 'team-a' } }),
      deployment({ name: 'plain', namespace: 'prod', labels: { owner: 'team-b' } }),
    ]);
    expect(run.errors).toEqual([]);
    expect(names(run)).toEqual(['prod/dodger']);
  });

  it('keys named constructor, __proto__ or toString read, test and compare as plain keys, nested too', () => {
    const object = {
      metadata: { name: 'a', labels: { constructor: 'x', owner: 'a' }, annotations: JSON.parse('{"__proto__":"p","toString":"t"}') as unknown },
      spec: { containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { constructor: { key: 'k' } } }] }] },
    };
    const cases: [string, unknown][] = [
      ['has(object.metadata.labels.owner)', true],
      ["'constructor' in object.metadata.labels", true],
      ["object.metadata.labels['constructor'] == 'x'", true],
      ['object.metadata.labels.constructor', 'x'],
      ['size(object.metadata.labels)', 2n],
      ["object.metadata.labels.all(k, k in ['constructor', 'owner'])", true],
      ["object.metadata.annotations['__proto__'] + object.metadata.annotations.toString", 'pt'],
      ['object.spec.containers[0].env[0].valueFrom.constructor.key', 'k'],
      ["has(object.metadata.labels.team)", false],
    ];
    for (const [source, expected] of cases) {
      const result = compileCel(source, 'any');
      if (!result.ok) throw new Error(`${source}: ${result.error.message}`);
      expect([source, result.program.run({ object, namespaceObject: null, params: {} })]).toEqual([source, expected]);
    }
  });
});

describe('the examples against objects', () => {
  it('public-facing Ingresses without a review fail, reviewed and internal ones pass', () => {
    const rules = (host: string) => [{ host, http: { paths: [] } }];
    const run = runOn(example('ingress-security-review').rule, [
      ingress({ name: 'shop', namespace: 'web' }, { rules: rules('shop.example.com') }),
      ingress({ name: 'api', namespace: 'web', annotations: { 'security-review/ticket': 'SEC-12' } }, { rules: rules('api.example.com') }),
      ingress({ name: 'admin', namespace: 'ops' }, { rules: rules('admin.corp.internal') }),
    ]);
    expect(names(run)).toEqual(['web/shop']);
    expect(run.violations[0]?.message).toBe('Ingress shop exposes shop.example.com without a security-review/ticket annotation');
  });

  it('payments RoleBindings: only the payments team and its service accounts', () => {
    const run = runOn(example('payments-rolebindings').rule, [
      roleBinding({ name: 'ok', namespace: 'payments' }, { kind: 'Role', name: 'r' }, [group('payments-team'), serviceAccountSubject('payments', 'api')]),
      roleBinding({ name: 'bad', namespace: 'payments' }, { kind: 'Role', name: 'r' }, [group('payments-team'), user('mallory')]),
      roleBinding({ name: 'elsewhere', namespace: 'shop' }, { kind: 'Role', name: 'r' }, [user('mallory')]),
    ]);
    expect(names(run)).toEqual(['payments/bad']);
    expect(run.violations[0]?.message).toBe('RoleBinding bad grants access in payments to User mallory');
  });

  it('approved registries read the organization\'s list from params', () => {
    const d = (name: string, image: string) => deployment({ name, namespace: 'shop' }, { containers: [{ name: 'c', image }] });
    const objects = [d('mirrored', 'registry.acme.io/shop:1'), d('public', 'docker.io/library/nginx:1')];
    const run = runOn(example('approved-registries').rule, objects, { allowedRegistries: ['registry.acme.io/'] });
    expect(names(run)).toEqual(['shop/public']);
    expect(run.violations[0]?.message).toBe('images from unapproved registries: docker.io/library/nginx:1');
  });
});

describe('custom controls in the engine', () => {
  it('run next to the catalog: findings carry the control version, errors do not fail the evaluation', () => {
    const snapshot = snapshotOf([service({ name: 'lb', namespace: 'shop' }, { type: 'LoadBalancer' }), service({ name: 'lb', namespace: 'ingress-nginx' }, { type: 'LoadBalancer' })]);
    const lb = example('loadbalancer-outside-ingress');
    const result = evaluate(snapshot, {
      now: NOW,
      controlIds: ['custom.lb', 'custom.broken'],
      customControls: [
        { id: 'custom.lb', version: 3, severity: lb.severity, remediation: lb.remediation, rule: lb.rule },
        { id: 'custom.broken', version: 1, severity: 'low', remediation: 'r', rule: { match: { resources: [{ kinds: ['Service'] }] }, validations: [{ expression: 'object.spec.missing == 1' }] } },
      ],
    });
    expect(result.findings).toEqual([
      expect.objectContaining({ controlId: 'custom.lb', controlVersion: 3, resource: expect.objectContaining({ namespace: 'shop', name: 'lb' }), message: 'Service shop/lb is a LoadBalancer outside the ingress-* namespaces', evidence: expect.objectContaining({ type: 'expression', controlVersion: 3 }) }),
    ]);
    expect(result.controls.find((c) => c.controlId === 'custom.lb')).toMatchObject({ status: 'fail', findings: 1, evaluated: 1, controlVersion: 3 });
    const broken = result.controls.find((c) => c.controlId === 'custom.broken');
    expect(broken).toMatchObject({ status: 'not_applicable', evaluated: 2 });
    expect(broken?.reason).toMatch(/^could not be evaluated: 2 error\(s\)/);
  });
});
