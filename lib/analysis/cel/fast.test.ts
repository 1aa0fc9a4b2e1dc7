import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { container, deployment, group, ingress, namespace, roleBinding, service, serviceAccountSubject, user } from '@/lib/testing/k8s';
import { compileCel, type CelBindings, type CelProgram } from './compile';
import { CUSTOM_CONTROL_EXAMPLES } from './examples';
import { FAST_DEFER } from './fast';

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

const roundTripJson = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// ---------------------------------------------------------------------------------------------------------------
// Generated objects. Every map follows one loose shape (below) so that generated paths usually exist and have the
// type the expression expects; a field is sometimes missing, null or of another type, and label keys include the
// names a JavaScript object has on its prototype.

const TEXTS = ['', 'a', 'app', 'web', 'owner', 'Ab', 'z', 'É', 'é', 'ß', 'straße', 'İ', 'ﬀ', '😀', 'a😀b', ' padded ', '\u00a0x\u2003', 'x.internal',
  '.internal', 'registry.example.com/app', 'ghcr.io/acme/', 'a,b', '\ud800'];
const TEXT = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TEXTS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) });
const NUMBER = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -1.25, 2 ** 53, 1e21, 1.7976931348623157e308, 2 ** 63) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);
const SCALAR = fc.oneof(fc.constant(null), fc.boolean(), NUMBER, TEXT);
const LABEL_KEY = fc.constantFrom('app', 'owner', 'tier', 'name', 'é', '😀', '', 'a.b/c', 'constructor', '__proto__', 'toString');
// Object.fromEntries defines own properties, so even "__proto__" becomes a key, as JSON.parse makes it.
const LABELS = fc.array(fc.tuple(LABEL_KEY, TEXT), { maxLength: 4 }).map((entries) => Object.fromEntries(entries));
const OTHER = fc.oneof(SCALAR, fc.array(SCALAR, { maxLength: 3 }), LABELS);

const ABSENT = Symbol('absent');
function generateObject(depth: number): fc.Arbitrary<Record<string, unknown>> {
  const field = <T,>(usual: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 24, arbitrary: usual }, { weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: OTHER });
  const nested = depth > 0;
  return fc
    .record({
      name: field(TEXT),
      count: field(fc.integer({ min: -3, max: 10 })),
      ratio: field(NUMBER),
      enabled: field(fc.boolean()),
      tags: field(fc.array(TEXT, { maxLength: 4 })),
      sizes: field(fc.array(NUMBER, { maxLength: 4 })),
      labels: field(LABELS),
      nothing: field(fc.constant(null)),
      spec: nested ? field(generateObject(depth - 1)) : fc.constant(ABSENT),
      items: nested ? field(fc.array(generateObject(depth - 1), { minLength: 1, maxLength: 3 })) : fc.constant(ABSENT),
    })
    .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ABSENT)));
}

// ---------------------------------------------------------------------------------------------------------------
// Generated expressions, typed against that shape. `ints` and `doubles` are lists of ints and doubles; `obj` is a
// map of the shape above; `labels` a map of strings. Objects hold doubles only: ints come from literals and size().

type CelType = 'bool' | 'int' | 'double' | 'string' | 'null' | 'strings' | 'ints' | 'doubles' | 'objs' | 'obj' | 'labels';
type Scope = { vars: readonly { name: string; type: CelType }[]; roots: readonly string[] };
type Gen = fc.Arbitrary<string>;
type Option = readonly [weight: number, build: () => Gen];

const FIELDS: Record<CelType, readonly string[]> = {
  bool: ['enabled'], int: [], double: ['count', 'ratio'], string: ['name'], null: ['nothing'], strings: ['tags'], ints: [],
  doubles: ['sizes'], objs: ['items'], obj: ['spec'], labels: ['labels'],
};
const ALL_FIELDS = [...Object.values(FIELDS).flat(), 'missing'];
// `params` shadows a global: inside the comprehension it is the element, not the bindings' params.
const VAR_NAMES = ['x', 'y', 'x', 'c', 'params'];
const ELEMENT: Partial<Record<CelType, CelType>> = { strings: 'string', ints: 'int', doubles: 'double', objs: 'obj', labels: 'string', obj: 'string' };
const SCALARS: readonly CelType[] = ['bool', 'int', 'double', 'string', 'null'];

const INT_LITERAL = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775806', '-9223372036854775807', '4611686018427387904',
    '3037000500', '4294967296', '0x7fffffffffffffff', '9223372036854775808') },
);
const formatDouble = (value: number) => {
  const text = Object.is(value, -0) ? '-0.0' : String(value).replace('e+', 'e');
  return /[.e]/.test(text) ? text : `${text}.0`;
};
const DOUBLE_LITERAL = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('0.0', '1.5', '-2.25', '3.0', '1e10', '1.5e-7', '-0.0', '0.1') },
  { weight: 2, arbitrary: fc.integer({ min: -4e6, max: 4e6 }).map((n) => formatDouble(n / 8)) },
  // Many digits: compile.ts plans a re-serialized tree, which must keep them (see the edge cases at the end).
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(formatDouble) },
);
// A raw astral character in a literal is a parse error in the library: those cases are skipped, as they should be.
const STRING_LITERAL = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TEXTS.filter((text) => !/[\ud800-\udfff]/.test(text))).map((text) => JSON.stringify(text)) },
  { weight: 1, arbitrary: fc.constantFrom("'single'", '"\\u00e9"', '"tab\\t"', 'r"raw\\d"', '"😀"') },
);
const REGEX_LITERAL = fc.constantFrom('"^a"', '"b$"', '".*"', '"^[a-z]+$"', '"\\\\d"', '"é"', '"(a|b)+"', '"^.$"', '"(?<=x)a"');

const buildLazily = (build: () => Gen): Gen => fc.constant(null).chain(build);
const pick = (options: readonly Option[]): Gen =>
  fc.oneof(...options.filter(([weight]) => weight > 0).map(([weight, build]) => ({ weight, arbitrary: buildLazily(build) })));
const compose = (parts: readonly Gen[], join: (texts: string[]) => string): Gen => fc.tuple(...parts).map(join);

function addVariable(scope: Scope, name: string, type: CelType): Scope {
  return { vars: [...scope.vars.filter((v) => v.name !== name), { name, type }], roots: scope.roots.filter((root) => root !== name) };
}

/**
 * A map to read fields from: a global, a comprehension variable, or a path from one through `spec` and `items[i]`.
 * has() accepts a chain of field selections only, so `selectOnly` leaves out the index forms.
 */
function generateMapPath(scope: Scope, depth: number, selectOnly = false): Gen {
  const names = [...scope.roots, ...scope.vars.filter((v) => v.type === 'obj').map((v) => v.name)];
  const hop = selectOnly ? fc.constantFrom('.spec', '.spec.spec') : fc.constantFrom('.spec', '["spec"]', '.items[0]', '.spec.spec');
  const hops = fc.array(hop, { maxLength: 1 }).map((parts) => parts.join(''));
  return pick([
    [4, () => compose([fc.constantFrom(...names), hops], ([root, rest]) => `${root}${rest}`)],
    [depth > 0 && !selectOnly ? 1 : 0, () => compose([generate('objs', depth - 1, scope), generateIndex(depth - 1, scope)], ([list, i]) => `${list}[${i}]`)],
  ]);
}

function generatePath(type: CelType, scope: Scope, depth: number): Gen | null {
  const vars = scope.vars.filter((v) => v.type === type).map((v) => v.name);
  const fields = FIELDS[type];
  const options: Option[] = [];
  if (vars.length > 0) options.push([3, () => fc.constantFrom(...vars)]);
  if (fields.length > 0) {
    options.push([4, () => compose([generateMapPath(scope, depth), fc.constantFrom(...fields)], ([obj, name]) => `${obj}.${name}`)]);
    options.push([1, () => compose([generateMapPath(scope, depth), fc.constantFrom(...fields)], ([obj, name]) => `${obj}["${name}"]`)]);
  }
  if (type === 'obj') options.push([3, () => generateMapPath(scope, depth)]);
  return options.length > 0 ? pick(options) : null;
}

type Macro = 'all' | 'exists' | 'exists_one' | 'map' | 'filter';
const QUANTIFIERS = fc.constantFrom<Macro>('all', 'exists', 'exists_one');

/** `nested`: the body is itself a quantifier, which may read or shadow this one's variable. */
function generateComprehension(macro: Macro, result: CelType, depth: number, scope: Scope, nested = false): Gen {
  const ranges: CelType[] =
    macro === 'filter' ? (Object.keys(ELEMENT) as CelType[]).filter((range) => `${ELEMENT[range]}s` === result) : ['strings', 'ints', 'doubles', 'objs', 'labels', 'obj'];
  return fc.tuple(fc.constantFrom(...ranges), fc.constantFrom(...VAR_NAMES)).chain(([range, name]) => {
    const inner = addVariable(scope, name, ELEMENT[range] ?? 'string');
    const bodyType: CelType = macro === 'map' ? (result.slice(0, -1) as CelType) : 'bool';
    const body = nested ? QUANTIFIERS.chain((inside) => generateComprehension(inside, 'bool', depth - 1, inner)) : generate(bodyType, depth - 1, inner);
    const parts = [generate(range, depth - 1, scope), body];
    if (macro === 'map') {
      return fc.boolean().chain((withFilter) =>
        withFilter
          ? compose([...parts, generate('bool', depth - 1, inner)], ([r, body, filter]) => `${r}.map(${name}, ${filter}, ${body})`)
          : compose(parts, ([r, body]) => `${r}.map(${name}, ${body})`),
      );
    }
    return compose(parts, ([r, body]) => `${r}.${macro}(${name}, ${body})`);
  });
}

/** A list index: mostly one that exists. */
function generateIndex(depth: number, scope: Scope): Gen {
  return pick([[6, () => fc.constant('0')], [2, () => fc.constant('1')], [1, () => generate('int', depth, scope)]]);
}

function generate(type: CelType, depth: number, scope: Scope): Gen {
  const deeper = depth > 0;
  const d = depth - 1;
  const sub = (t: CelType) => generate(t, d, scope);
  const binary = (t: CelType, ops: readonly string[], operand: CelType = t) =>
    compose([sub(operand), fc.constantFrom(...ops), sub(operand)], ([a, op, b]) => `(${a} ${op} ${b})`);
  const read = generatePath(type, scope, d);
  const options: Option[] = [];
  if (read) options.push([deeper ? 4 : 8, () => read]);
  options.push([deeper ? 2 : 0, () => compose([sub('bool'), sub(type), sub(type)], ([c, a, b]) => `(${c} ? ${a} : ${b})`)]);
  // A value of another type where this one is expected: a compile error (skipped) or a runtime mismatch.
  options.push([deeper ? 1 : 0, () => fc.constantFrom(...SCALARS, 'strings' as const).chain((other) => sub(other))]);
  // Constructs outside the fast subset, around covered ones (and type-specific ones below).
  const outside: Option[] = [
    [2, () => sub(type).map((inner) => `dyn(${inner})`)],
    [2, () => compose([fc.constantFrom(...VAR_NAMES), sub(type)], ([v, inner]) => `cel.bind(${v}, ${inner}, ${v})`)],
  ];
  const sizeOf = () =>
    fc.constantFrom<CelType>('string', 'strings', 'labels', 'obj', 'ints').chain((t) => fc.tuple(sub(t), fc.boolean()).map(([x, call]) => (call ? `size(${x})` : `${x}.size()`)));
  const listOf = (element: CelType) => fc.array(sub(element), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`);

  switch (type) {
    case 'bool':
      options.push([3, () => fc.constantFrom('true', 'false')]);
      options.push([3, () => compose([generateMapPath(scope, d, true), fc.constantFrom(...ALL_FIELDS)], ([obj, name]) => `has(${obj}.${name})`)]);
      if (deeper) {
        options.push([2, () => sub('bool').map((b) => `!${b}`)]);
        options.push([4, () => binary('bool', ['&&', '||'])]);
        options.push([5, () => fc.constantFrom<CelType>('int', 'double', 'string', 'bool', 'null', 'strings').chain((t) => binary('bool', ['==', '!='], t))]);
        options.push([4, () => fc.constantFrom<CelType>('int', 'double', 'string').chain((t) => binary('bool', ['<', '<=', '>', '>='], t))]);
        options.push([3, () => fc.constantFrom<CelType>('strings', 'ints', 'doubles', 'labels', 'obj').chain((list) =>
          compose([sub(ELEMENT[list] ?? 'string'), sub(list)], ([x, l]) => `(${x} in ${l})`))]);
        options.push([3, () => compose([sub('string'), fc.constantFrom('startsWith', 'endsWith', 'contains'), sub('string')], ([s, m, a]) => `${s}.${m}(${a})`)]);
        options.push([1, () => compose([sub('string'), fc.oneof(REGEX_LITERAL, sub('string'))], ([s, p]) => `${s}.matches(${p})`)]);
        options.push([4, () => QUANTIFIERS.chain((macro) => generateComprehension(macro, 'bool', depth, scope))]);
        options.push([5, () => QUANTIFIERS.chain((macro) => generateComprehension(macro, 'bool', depth, scope, true))]);
        outside.push([1, () => compose([generateMapPath(scope, d), fc.constantFrom(...ALL_FIELDS)], ([obj, name]) => `${obj}.?${name}.hasValue()`)]);
      }
      break;
    case 'int':
      options.push([4, () => INT_LITERAL]);
      if (deeper) {
        options.push([3, sizeOf]);
        options.push([4, () => binary('int', ['+', '-', '*', '/', '%'])]);
        options.push([1, () => sub('int').map((x) => `-(${x})`)]);
        options.push([1, () => compose([sub('ints'), generateIndex(d, scope)], ([l, i]) => `${l}[${i}]`)]);
        options.push([1, () => generatePath('double', scope, d) ?? sub('double')]);
        outside.push([1, () => sub('double').map((x) => `int(${x})`)]);
      }
      break;
    case 'double':
      options.push([4, () => DOUBLE_LITERAL]);
      if (deeper) {
        options.push([4, () => binary('double', ['+', '-', '*', '/'])]);
        options.push([1, () => binary('double', ['%'])]);
        options.push([1, () => sub('double').map((x) => `-(${x})`)]);
        options.push([1, () => compose([sub('doubles'), generateIndex(d, scope)], ([l, i]) => `${l}[${i}]`)]);
        outside.push([1, () => sub('int').map((x) => `double(${x})`)]);
      }
      break;
    case 'string':
      options.push([4, () => STRING_LITERAL]);
      options.push([2, () => compose([generatePath('labels', scope, d) ?? fc.constant('object.labels'), LABEL_KEY], ([l, k]) => `${l}[${JSON.stringify(k)}]`)]);
      if (deeper) {
        options.push([3, () => binary('string', ['+'])]);
        options.push([2, () => compose([sub('string'), fc.constantFrom('lowerAscii', 'upperAscii', 'trim')], ([s, m]) => `${s}.${m}()`)]);
        options.push([2, () => compose([sub('strings'), fc.option(sub('string')).map((sep) => sep ?? '')], ([l, sep]) => `${l}.join(${sep})`)]);
        options.push([1, () => compose([sub('strings'), generateIndex(d, scope)], ([l, i]) => `${l}[${i}]`)]);
        outside.push([1, () => sub('int').map((x) => `string(${x})`)]);
        outside.push([1, () => compose([generateMapPath(scope, d), STRING_LITERAL], ([obj, fallback]) => `${obj}.?name.orValue(${fallback})`)]);
      }
      break;
    case 'null':
      options.push([2, () => fc.constant('null')]);
      break;
    case 'strings':
    case 'ints':
    case 'doubles':
    case 'objs':
      if (type !== 'objs') options.push([3, () => listOf(ELEMENT[type] ?? 'string')]);
      if (deeper) {
        options.push([1, () => binary(type, ['+'])]);
        options.push([3, () => generateComprehension('map', type, depth, scope)]);
        options.push([3, () => generateComprehension('filter', type, depth, scope)]);
      }
      break;
    case 'obj':
    case 'labels':
      break;
  }
  if (deeper) options.push([1, () => pick(outside)]);
  return pick(options);
}

const TOP_TYPES: readonly (readonly [number, CelType])[] = [[8, 'bool'], [2, 'int'], [1, 'double'], [2, 'string'], [1, 'strings'], [1, 'ints'], [1, 'doubles'], [1, 'obj'], [1, 'null']];

type GeneratedCase = { source: string; withVariables: boolean; bindings: CelBindings };
const CASES: fc.Arbitrary<GeneratedCase> = fc.boolean().chain((withVariables) => {
  const scope: Scope = { vars: [], roots: withVariables ? ['object', 'namespaceObject', 'params', 'variables'] : ['object', 'namespaceObject', 'params'] };
  return fc.record({
    source: fc.oneof(...TOP_TYPES.map(([weight, type]) => ({ weight, arbitrary: buildLazily(() => generate(type, 4, scope)) }))),
    withVariables: fc.constant(withVariables),
    bindings: fc
      .record({ object: generateObject(2), namespaceObject: generateObject(2), params: generateObject(2), variables: withVariables ? fc.option(generateObject(2), { nil: undefined }) : fc.constant(undefined) })
      .map(({ variables, ...rest }): CelBindings => roundTripJson(variables === undefined ? rest : { ...rest, variables })),
  });
});

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
