import fc from 'fast-check';
import type { CelBindings } from '@/lib/analysis/cel/compile';

/*
 * Generated CEL expressions and JSON objects for the fast path's differential test (lib/analysis/cel/fast.test.ts):
 * expressions typed against the shape of the generated objects, so most compile, with uncovered constructs and type
 * mismatches mixed in.
 */

export const roundTripJson = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

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

export type GeneratedCase = { source: string; withVariables: boolean; bindings: CelBindings };
export const CASES: fc.Arbitrary<GeneratedCase> = fc.boolean().chain((withVariables) => {
  const scope: Scope = { vars: [], roots: withVariables ? ['object', 'namespaceObject', 'params', 'variables'] : ['object', 'namespaceObject', 'params'] };
  return fc.record({
    source: fc.oneof(...TOP_TYPES.map(([weight, type]) => ({ weight, arbitrary: buildLazily(() => generate(type, 4, scope)) }))),
    withVariables: fc.constant(withVariables),
    bindings: fc
      .record({ object: generateObject(2), namespaceObject: generateObject(2), params: generateObject(2), variables: withVariables ? fc.option(generateObject(2), { nil: undefined }) : fc.constant(undefined) })
      .map(({ variables, ...rest }): CelBindings => roundTripJson(variables === undefined ? rest : { ...rest, variables })),
  });
});
