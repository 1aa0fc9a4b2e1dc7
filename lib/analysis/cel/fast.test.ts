import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, deployment, group, ingress, namespace, roleBinding, service, serviceAccountSubject, user } from '@/lib/testing/k8s';
import { compileCel, type CelBindings, type CelProgram } from './compile';
import { CUSTOM_CONTROL_EXAMPLES } from './examples';
import { FAST_DEFER } from './fast';
import { CASES, roundTripJson, type GeneratedCase } from '@/lib/testing/cel-arbitraries';

/*
 * fast.ts evaluates the common part of CEL with closures and defers everything else to the library. Its one promise:
 * for any expression and any object it either throws (run() then asks the library) or returns exactly what the
 * library returns, and it never returns a value where the library raises an error. A fast path that answers
 * differently changes findings without anyone noticing, so this test holds the two evaluators to each other:
 * - generated expressions (well-typed over the shape of the generated objects, with uncovered constructs and type
 *   mismatches mixed in) over generated JSON objects, compared one by one;
 * - hand-written edge cases: errors and their absorption, int64 limits, Unicode, shadowed variables;
 * - the shipped examples, which must also stay on the fast path: they are what most organizations run.
 * The seed is fixed so `npm test` is deterministic; CEL_FAST_SEED=<n> explores others.
 */
const SEED = Number(process.env.CEL_FAST_SEED ?? 20260522);
const RUNS = 3000;

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; message: string };
type FastOutcome = Outcome | { kind: 'deferred' } | { kind: 'uncovered' };

function runLibrary(program: CelProgram, bindings: CelBindings): Outcome {
  try {
    return { kind: 'value', value: program.runLibrary(bindings) };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
}

/** An error other than FAST_DEFER also sends run() to the library, so it counts as a deferral here. */
function runFast(program: CelProgram, bindings: CelBindings): FastOutcome {
  if (!program.fast) return { kind: 'uncovered' };
  try {
    return { kind: 'value', value: program.fast(bindings) };
  } catch (error) {
    return error === FAST_DEFER ? { kind: 'deferred' } : { kind: 'error', message: String(error) };
  }
}

/** Deep equality in the library's representation: 1n is not 1, -0 is not 0, [] is not {}. */
function isSameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && isSameValue(recordA[key], recordB[key]));
}

const formatValue = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '-0' : v)) ?? String(value);

/** Why the fast result breaks the promise, or null when it keeps it (a deferral always does). */
function findDisagreement(library: Outcome, fast: FastOutcome): string | null {
  if (fast.kind !== 'value') return null;
  if (library.kind === 'error') return `the library raised "${library.message}" but the fast path returned ${formatValue(fast.value)}`;
  return isSameValue(library.value, fast.value) ? null : `the library returned ${formatValue(library.value)} but the fast path returned ${formatValue(fast.value)}`;
}


type Evaluated = { compiled: false } | { compiled: true; library: Outcome; fast: FastOutcome };

function evaluateCase(c: GeneratedCase): Evaluated {
  const compiled = compileCel(c.source, 'any', { variables: c.withVariables });
  if (!compiled.ok) return { compiled: false };
  return { compiled: true, library: runLibrary(compiled.program, c.bindings), fast: runFast(compiled.program, c.bindings) };
}

describe('the fast path agrees with the library on generated expressions and objects', () => {
  it('never returns a value the library would not, and answers a fair share of the cases itself', { timeout: 60_000 }, () => {
    // Counted in the same pass (shrinking runs only after a failure); without a fair share answered by the fast
    // path, the comparison would pass vacuously.
    const tally = { cases: 0, compiled: 0, fastProgram: 0, fastReturned: 0 };
    fc.assert(
      fc.property(CASES, (c) => {
        const evaluated = evaluateCase(c);
        tally.cases++;
        if (!evaluated.compiled) return;
        tally.compiled++;
        if (evaluated.fast.kind !== 'uncovered') tally.fastProgram++;
        if (evaluated.fast.kind === 'value') tally.fastReturned++;
        const problem = findDisagreement(evaluated.library, evaluated.fast);
        if (problem) throw new Error(`${c.source}\n${problem}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(tally.compiled / tally.cases, JSON.stringify(tally)).toBeGreaterThan(0.6);
    expect(tally.fastReturned / tally.cases, JSON.stringify(tally)).toBeGreaterThanOrEqual(0.3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hand-written edge cases. `fast: 'returns'` where the fast path's design covers the case (deferring there would
// only cost speed, but it would mean the subset is not what fast.ts says it is); `expected` where CEL defines the
// answer and a user would notice a different one.

const EDGE_OBJECT = {
  metadata: { name: 'a😀b', labels: { app: 'web', owner: '' }, annotations: null },
  spec: { replicas: 3, ratio: 0.5, nothing: null, tags: ['b', 'a'], mixed: [1, 'a', true, null], astral: '😀', ligature: 'ﬀ', lone: '\ud800x' },
  items: [{ name: 'one', weight: 1 }, { name: 'two', weight: 0 }],
};

type EdgeCase = {
  name: string;
  source: string;
  fast: 'returns' | 'may defer';
  expected?: unknown;
  raises?: RegExp;
  object?: unknown;
  /** Compiles with `variables` declared; `bindings` says whether the evaluation has them. */
  variables?: { bindings: unknown } | 'absent';
};

const EDGE_CASES: EdgeCase[] = [
  // Missing keys and has()
  { name: 'a missing key is an error, not false', source: 'object.metadata.namespace == "x"', fast: 'may defer', raises: /No such key: namespace/ },
  { name: 'an index past the end is an error', source: 'object.spec.tags[2] == "c"', fast: 'may defer', raises: /index out of bounds/ },
  { name: 'has() on a field of a null value is false', source: 'has(object.spec.nothing.field)', fast: 'may defer', expected: false },
  { name: 'has() on a field of a string is false', source: 'has(object.metadata.name.x)', fast: 'may defer', expected: false },
  { name: 'has() of a field holding null is true', source: 'has(object.metadata.annotations)', fast: 'returns', expected: true },
  { name: 'has() below a missing field is an error', source: 'has(object.metadata.missing.x)', fast: 'may defer', raises: /No such key: missing/ },
  { name: 'has() with a key named like an Object method', source: 'has(object.metadata.labels.toString)', fast: 'returns', expected: false },
  { name: '"in" a map with a key named like an Object method', source: '"toString" in object.metadata.labels', fast: 'returns', expected: false },
  // A label key Kubernetes accepts; the library's type lookup reads `value.constructor` and fails on it.
  { name: 'a map with a "constructor" key', source: 'object.metadata.labels.app == "web"', fast: 'may defer', object: { metadata: { labels: { constructor: 'x', app: 'web' } } } },
  { name: 'a "constructor" key deep inside the map "in" reads', source: '"metadata" in object', fast: 'may defer', object: { metadata: { labels: { constructor: 'x' } } } },
  // Errors absorbed by && and || and by comprehensions
  { name: 'false && error is false', source: 'false && object.missing', fast: 'returns', expected: false },
  { name: 'true || error is true', source: 'true || object.missing', fast: 'returns', expected: true },
  { name: 'error || true is true', source: 'object.missing || true', fast: 'may defer', expected: true },
  { name: 'error && false is false', source: 'object.missing && false', fast: 'may defer', expected: false },
  { name: 'exists: an element that errs, then one that is true', source: '[0, 1].exists(x, 1 / x == 1)', fast: 'may defer', expected: true },
  { name: 'all: a false element decides before one that errs', source: '[1, 0].all(x, 1 / x == 2)', fast: 'returns', expected: false },
  { name: 'all: an element that errs, then a false one', source: '[0, 1].all(x, 1 / x == 2)', fast: 'may defer', expected: false },
  { name: 'exists_one: an element that errs is an error', source: '[0, 1].exists_one(x, 1 / x == 1)', fast: 'may defer', raises: /division by zero/ },
  // int64 limits and division
  { name: 'int + overflows', source: '9223372036854775807 + 1', fast: 'may defer', raises: /overflow/ },
  { name: 'int - overflows', source: '-9223372036854775807 - 2', fast: 'may defer', raises: /overflow/ },
  { name: 'int * overflows', source: '4611686018427387904 * 2', fast: 'may defer', raises: /overflow/ },
  { name: 'int + up to the limit', source: '9223372036854775806 + 1', fast: 'returns', expected: 9223372036854775807n },
  // CEL says overflow; the library returns 2^63. The fast path defers, so the answer stays the library's.
  { name: 'unary - of the smallest int', source: '-(-9223372036854775807 - 1)', fast: 'may defer' },
  { name: 'the smallest int divided by -1', source: '(-9223372036854775807 - 1) / -1', fast: 'may defer' },
  { name: 'int division by zero', source: '1 / 0', fast: 'may defer', raises: /division by zero/ },
  { name: 'int modulo by zero', source: '1 % 0', fast: 'may defer', raises: /modulo by zero/ },
  { name: 'double division by zero is infinity', source: '1.0 / 0.0', fast: 'returns', expected: Infinity },
  { name: 'int division truncates toward zero', source: '[-7 / 2, -7 % 2]', fast: 'returns', expected: [-3n, -1n] },
  { name: 'double 0/0 is NaN', source: 'object.items[1].weight / 0.0', fast: 'returns', expected: Number.NaN },
  { name: 'an int literal and a double field are not compared here', source: 'object.spec.replicas == 3', fast: 'may defer', expected: true },
  { name: 'a double field plus an int is an error', source: 'object.spec.ratio + 1', fast: 'may defer', raises: /no such overload/ },
  // Strings
  { name: 'size counts code points, not UTF-16 units', source: 'size(object.metadata.name)', fast: 'returns', expected: 3n },
  { name: 'size of a lone surrogate', source: 'object.spec.lone.size()', fast: 'returns', expected: 2n },
  { name: 'string order between an astral and a BMP character', source: 'object.spec.astral < object.spec.ligature', fast: 'returns' },
  { name: 'string order', source: '"B" < "a" && "a" <= "a" && "b" > "a"', fast: 'returns', expected: true },
  { name: 'upperAscii as the library defines it', source: '"straße".upperAscii() + "İ".lowerAscii()', fast: 'returns' },
  { name: 'trim of Unicode spaces', source: '" \\u00a0x\\u2003".trim()', fast: 'returns', expected: 'x' },
  { name: 'matches with RE2 over an astral character', source: 'object.metadata.name.matches("^a.b$")', fast: 'returns', expected: true },
  { name: 'join of strings', source: 'object.spec.tags.join() + object.spec.tags.join(", ")', fast: 'returns', expected: 'bab, a' },
  { name: 'join of a list with non-strings is an error', source: 'object.spec.mixed.join(",")', fast: 'may defer', raises: /overload/ },
  // in over lists
  { name: 'in finds a string in a mixed list', source: '"a" in object.spec.mixed', fast: 'returns', expected: true },
  { name: 'in over a mixed list without the element', source: '"z" in object.spec.mixed', fast: 'may defer', expected: false },
  { name: 'an int is in a list holding the same double', source: '1 in object.spec.mixed', fast: 'may defer', expected: true },
  { name: 'in over a list of strings', source: '"c" in object.spec.tags', fast: 'returns', expected: false },
  // Comprehensions
  { name: 'exists_one with one match', source: 'object.spec.tags.exists_one(t, t == "a")', fast: 'returns', expected: true },
  { name: 'exists_one with two matches', source: '[1, 2, 3].exists_one(x, x > 1)', fast: 'returns', expected: false },
  { name: 'map with a filter (three arguments)', source: '[1, 2, 3].map(x, x > 1, x * 10)', fast: 'returns', expected: [20n, 30n] },
  { name: 'a comprehension over a map walks its keys', source: 'object.metadata.labels.map(k, k)', fast: 'returns', expected: ['app', 'owner'] },
  { name: 'filter over a map', source: 'object.metadata.labels.filter(k, object.metadata.labels[k] == "")', fast: 'returns', expected: ['owner'] },
  { name: 'an inner variable shadows an outer one of the same name', source: '[1, 2].map(x, [10, 20].map(x, x + 1))', fast: 'returns', expected: [[11n, 21n], [11n, 21n]] },
  { name: 'the outer variable is back after the inner comprehension', source: '[1, 2].filter(x, [3].all(x, x == 3) && x == 2)', fast: 'returns', expected: [2n] },
  { name: 'a comprehension variable shadows object', source: 'object.items.all(object, object.name != "")', fast: 'returns', expected: true },
  { name: 'a comprehension variable shadows params', source: 'object.items.map(params, params.name)', fast: 'returns', expected: ['one', 'two'] },
  { name: 'list concatenation', source: 'object.spec.tags + ["c"]', fast: 'returns', expected: ['b', 'a', 'c'] },
  // variables
  { name: 'variables absent from the bindings is an error', source: 'variables.limit == 1.0', variables: 'absent', fast: 'may defer', raises: /Unknown variable/ },
  { name: 'variables present', source: 'variables.limit == 1.0', variables: { bindings: { limit: 1 } }, fast: 'returns', expected: true },
  { name: 'a comprehension variable named variables needs no binding', source: '[1].all(variables, variables == 1)', variables: 'absent', fast: 'returns', expected: true },
  // The tree both evaluators run must be the expression as written (compile.ts parses it a second time).
  { name: 'subtraction keeps its parentheses', source: '10 - (5 - 3)', fast: 'returns', expected: 8n },
  { name: 'unary minus of a conditional', source: '-(object.spec.replicas > 1.0 ? 1 : 2)', fast: 'returns', expected: -1n },
  { name: 'a small double literal stays a double', source: 'object.spec.ratio + 0.0000000001 > 0.5', fast: 'returns', expected: true },
  { name: 'an empty comprehension whose body is well-typed', source: '[].map(x, -(true ? 1 : 2))', fast: 'returns', expected: [] },
];

describe('the fast path agrees with the library on edge cases', () => {
  it.each(EDGE_CASES)('$name: $source', (edge) => {
    const compiled = compileCel(edge.source, 'any', { variables: edge.variables !== undefined });
    if (!compiled.ok) throw new Error(`${edge.source} does not compile: ${compiled.error.message}`);
    const variables = typeof edge.variables === 'object' ? { variables: edge.variables.bindings } : {};
    const bindings: CelBindings = roundTripJson({ object: edge.object ?? EDGE_OBJECT, namespaceObject: {}, params: {}, ...variables });
    const library = runLibrary(compiled.program, bindings);
    const fast = runFast(compiled.program, bindings);
    expect(findDisagreement(library, fast)).toBeNull();
    if (edge.fast === 'returns') expect(fast.kind, `the fast path did not answer; the library: ${formatValue(library)}`).toBe('value');
    if ('expected' in edge) expect(library.kind === 'value' && isSameValue(library.value, edge.expected), `the library: ${formatValue(library)}`).toBe(true);
    if (edge.raises) expect(library.kind === 'error' ? library.message : formatValue(library)).toMatch(edge.raises);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The shipped examples are what most organizations run: each must compile to a fast program and answer on
// realistic objects without deferring. The message is evaluated where the runner evaluates it: on a violation.

const PARAMS = { allowedRegistries: ['registry.example.com/', 'ghcr.io/acme/'] };
const http = { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'app', port: { number: 80 } } } }] };
const removeSubjects = (binding: KubeObject): KubeObject => ({ ...binding, subjects: undefined });

const EXAMPLE_OBJECTS: Record<string, KubeObject[]> = {
  'ingress-security-review': [
    ingress({ name: 'shop' }, { rules: [{ host: 'shop.example.com', http }, { host: 'api.internal', http }, { http }] }),
    ingress({ name: 'reviewed', annotations: { 'security-review/ticket': 'SEC-42' } }, { rules: [{ host: 'shop.example.com', http }] }),
    ingress({ name: 'internal' }, { rules: [{ host: 'api.internal', http }] }),
    ingress({ name: 'default-backend' }, { defaultBackend: { service: { name: 'app', port: { number: 80 } } } }),
  ],
  'payments-rolebindings': [
    roleBinding({ name: 'team', namespace: 'payments' }, { kind: 'Role', name: 'payments-admin' }, [group('payments-team'), serviceAccountSubject('payments', 'api')]),
    roleBinding({ name: 'contractor', namespace: 'payments' }, { kind: 'ClusterRole', name: 'edit' }, [user('mallory'), serviceAccountSubject('ci', 'deployer'), group('payments-team')]),
    removeSubjects(roleBinding({ name: 'empty', namespace: 'payments' }, { kind: 'Role', name: 'view' }, [])),
  ],
  'prod-owner-label': [
    deployment({ namespace: 'prod', labels: { owner: 'payments' } }),
    deployment({ name: 'unlabelled', namespace: 'prod' }),
    deployment({ name: 'other-labels', namespace: 'prod-eu', labels: { app: 'web' } }),
    deployment({ name: 'empty-owner', namespace: 'prod', labels: { owner: '' } }),
  ],
  'loadbalancer-outside-ingress': [
    service({ name: 'public', namespace: 'team-a' }, { type: 'LoadBalancer', ports: [{ port: 443 }] }),
    service(),
    service({ name: 'untyped' }, { ports: [{ port: 80 }] }),
  ],
  'approved-registries': [
    deployment(),
    deployment({ name: 'mirrored' }, { containers: [container({ image: 'registry.example.com/team/app:2.1' })] }),
    deployment({ name: 'mixed' }, { containers: [container(), container({ name: 'sidecar', image: 'docker.io/library/nginx:1.27' })] }),
  ],
};

describe('the shipped examples run on the fast path', () => {
  it.each(CUSTOM_CONTROL_EXAMPLES.flatMap((example) => example.rule.validations.map((validation) => ({ key: example.key, validation }))))(
    '$key',
    ({ key, validation }) => {
      const check = compileCel(validation.expression, 'bool');
      const message = validation.messageExpression === undefined ? undefined : compileCel(validation.messageExpression, 'string');
      if (!check.ok || (message && !message.ok)) throw new Error(`${key} does not compile`);
      expect(check.program.fast, 'the validation is outside the fast subset').not.toBeNull();
      if (message) expect(message.program.fast, 'the message is outside the fast subset').not.toBeNull();

      const objects = EXAMPLE_OBJECTS[key] ?? [];
      expect(objects.length, `add realistic objects for ${key} to EXAMPLE_OBJECTS`).toBeGreaterThan(0);
      let violations = 0;
      for (const object of objects) {
        const bindings: CelBindings = roundTripJson({ object, namespaceObject: namespace(object.metadata.namespace ?? 'default'), params: PARAMS });
        const library = runLibrary(check.program, bindings);
        const fast = runFast(check.program, bindings);
        expect(fast, object.metadata.name).toEqual(library);
        expect(fast.kind, object.metadata.name).toBe('value');
        if (!message || library.kind !== 'value' || library.value !== false) continue;
        violations++;
        const text = runFast(message.program, bindings);
        expect(text, object.metadata.name).toEqual(runLibrary(message.program, bindings));
        expect(text.kind, object.metadata.name).toBe('value');
      }
      // Each example has objects that pass and objects that fail, so both the check and the message were run.
      expect(violations).toBeGreaterThan(0);
      expect(violations).toBeLessThan(objects.length);
    },
  );
});
