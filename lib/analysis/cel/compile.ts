import { Environment, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';
import { RE2JS } from '@bufbuild/re2';
import { compileFast, type FastProgram } from './fast';
import { re2 } from './re2';

/**
 * CEL for custom controls (and, later, a cluster's own ValidatingAdmissionPolicies): parse, type-check and plan
 * an expression once, evaluate it per object. Pure: no I/O, no clock.
 *
 * The library is @marcbachmann/cel-js (docs/custom-controls.md compares the candidates): it type-checks against
 * declared variables and reports the source range of every parse and type error, which is what the editor shows.
 * Three things it does not do are done here:
 * - regular expressions: its `matches` runs JavaScript's backtracking RegExp, so a pattern such as `(a+)+$` can take
 *   exponential time on a long annotation. Every `matches` call is rewritten to `re2Matches`, backed by
 *   @bufbuild/re2 (linear time, RE2 syntax: the one Kubernetes' CEL uses), and patterns that are string literals are
 *   checked at compile time;
 * - a cost limit: the library has none (nor does any other JavaScript CEL implementation, see the doc), so the
 *   compile step estimates a worst-case cost from the tree (comprehensions multiply their body by an assumed list
 *   size, as Kubernetes' estimator does without maxItems) and refuses expressions above CEL_LIMITS.maxEstimatedCost;
 *   the runner (run.ts) adds time limits per object and per control;
 * - speed: an expression inside fast.ts's subset also gets closures that answer without the library's tree walk
 *   and hand every case they do not handle exactly back to it (fast.ts says how).
 */

export const CEL_LIMITS = {
  /** Characters of one expression. */
  maxExpressionLength: 5_000,
  maxAstNodes: 2_000,
  maxDepth: 50,
  /** Assumed size of a list a comprehension walks (Kubernetes' estimator uses the schema's maxItems). */
  assumedListSize: 100,
  /** Estimated worst-case cost units; a three-deep nested comprehension over unbounded lists exceeds it. */
  maxEstimatedCost: 1_000_000,
} as const;

/** The variables every custom-control expression may read. */
export const CEL_VARIABLES = ['object', 'namespaceObject', 'params'] as const;

export type CelPosition = { start: number; end: number; line: number; column: number };
export type CelCompileError = { message: string; position?: CelPosition };
export type CelProgram = {
  source: string;
  /** The checked output type ('bool', 'string', 'dyn', ...). */
  type: string;
  estimatedCost: number;
  /** The fast path where the expression allows it, else the library; the answer is the library's either way. */
  run: (bindings: CelBindings) => unknown;
  /** The library alone (fast.test.ts compares the two). */
  runLibrary: (bindings: CelBindings) => unknown;
  /** The closures of fast.ts, null when the expression is outside their subset; throws to defer to the library. */
  fast: FastProgram | null;
};
export type CelBindings = { object: unknown; namespaceObject: unknown; params: unknown; variables?: unknown };
export type CompileResult = { ok: true; program: CelProgram } | { ok: false; error: CelCompileError };

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function buildEnvironment(withVariables: boolean): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
    limits: { maxAstNodes: CEL_LIMITS.maxAstNodes, maxDepth: CEL_LIMITS.maxDepth, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 },
  })
    .registerVariable('object', 'dyn')
    .registerVariable('namespaceObject', 'dyn')
    .registerVariable('params', 'dyn')
    .registerFunction('string.re2Matches(string): bool', (text: string, pattern: string) => re2(pattern).test(text));
  if (withVariables) env.registerVariable('variables', 'dyn');
  return env;
}

const ENV = buildEnvironment(false);
const ENV_WITH_VARIABLES = buildEnvironment(true);

function positionOf(source: string, start: number, end: number): CelPosition {
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const column = start - (before.lastIndexOf('\n') + 1) + 1;
  return { start, end, line, column };
}

type Ranged = { summary?: string; message: string; range?: { start: number; end: number } };
function errorOf(source: string, error: unknown): CelCompileError {
  if (error instanceof Error) {
    const ranged = error as Error & Ranged;
    const message = ranged.summary ?? ranged.message.split('\n')[0] ?? 'invalid expression';
    return ranged.range ? { message, position: positionOf(source, ranged.range.start, ranged.range.end) } : { message };
  }
  return { message: 'invalid expression' };
}

type Walk = { cost: number; error?: CelCompileError };

/** Rewrites `matches` to `re2Matches` in place, checks literal patterns, and estimates the cost. */
function walk(source: string, node: ASTNode, multiplier: number, state: Walk): void {
  state.cost += multiplier;
  const args: unknown = node.args;
  if (node.op === 'rcall') {
    const [name, receiver, callArgs] = node.args as [string, ASTNode, ASTNode[]];
    if (name === 'matches') {
      (node.args as [string, ASTNode, ASTNode[]])[0] = 're2Matches';
      const pattern = callArgs[0];
      if (pattern && pattern.op === 'value' && typeof pattern.args === 'string') {
        try {
          RE2JS.compile(pattern.args);
        } catch (error) {
          state.error ??= { message: `invalid RE2 regular expression: ${error instanceof Error ? error.message : String(error)}`, position: positionOf(source, pattern.range.start, pattern.range.end) };
        }
      }
      // Linear in the text: count the text as one list walk.
      state.cost += multiplier * CEL_LIMITS.assumedListSize;
    }
    walk(source, receiver, multiplier, state);
    const inner = COMPREHENSIONS.has(name) ? multiplier * CEL_LIMITS.assumedListSize : multiplier;
    for (const arg of callArgs) walk(source, arg, inner, state);
    return;
  }
  visitChildren(args, (child) => walk(source, child, multiplier, state));
}

function isNode(value: unknown): value is ASTNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}
function visitChildren(args: unknown, visit: (node: ASTNode) => void): void {
  if (isNode(args)) visit(args);
  else if (Array.isArray(args)) for (const item of args) visitChildren(item, visit);
}

/**
 * Parses, type-checks and plans an expression. `expect` is the type the caller needs: 'bool' for a validation or
 * match condition, 'string' for a message expression ('dyn' is accepted for both and checked at run time).
 */
/**
 * Programs that compiled, by expression: without this every evaluation of every cluster compiles its organization's
 * rules again (50 rules: about 40 ms per evaluation). A program holds the expression's plan only, nothing of the
 * objects it ran on, so one compiled text serves whoever wrote the same text. Bounded: cleared when full.
 */
const PROGRAMS = new Map<string, CompileResult>();
const MAX_CACHED_PROGRAMS = 2_000;

export function compileCel(source: string, expect: 'bool' | 'string' | 'any', options: { variables?: boolean } = {}): CompileResult {
  const key = `${expect}:${options.variables ? 'v' : '-'}:${source}`;
  const cached = PROGRAMS.get(key);
  if (cached) return cached;
  const result = compileUncached(source, expect, options);
  if (result.ok) {
    if (PROGRAMS.size >= MAX_CACHED_PROGRAMS) PROGRAMS.clear();
    PROGRAMS.set(key, result);
  }
  return result;
}

function compileUncached(source: string, expect: 'bool' | 'string' | 'any', options: { variables?: boolean }): CompileResult {
  if (source.trim() === '') return { ok: false, error: { message: 'the expression is empty' } };
  if (source.length > CEL_LIMITS.maxExpressionLength) return { ok: false, error: { message: `the expression is longer than ${CEL_LIMITS.maxExpressionLength} characters` } };
  const env = options.variables ? ENV_WITH_VARIABLES : ENV;
  let parsed: ParseResult;
  try {
    parsed = env.parse(source);
  } catch (error) {
    return { ok: false, error: errorOf(source, error) };
  }
  // The walk rewrites `matches` to `re2Matches` in the tree before it is checked, so the checked tree is the one that
  // runs. (It used to be serialized and parsed again after the check: the library's serializer drops parentheses,
  // `10 - (5 - 3)` came back as `10 - 5 - 3`, and cuts doubles to nine decimals, and the result was never checked.)
  const state: Walk = { cost: 0 };
  walk(source, parsed.ast, 1, state);
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: withUserNames(errorOf(source, checked.error)) };
  const type = checked.type ?? 'dyn';
  if (expect !== 'any' && type !== expect && type !== 'dyn') {
    return { ok: false, error: { message: `the expression returns ${type}, not ${expect}`, position: positionOf(source, 0, source.length) } };
  }
  if (state.error) return { ok: false, error: state.error };
  if (state.cost > CEL_LIMITS.maxEstimatedCost) {
    return { ok: false, error: { message: `the estimated cost (${state.cost}) exceeds the limit of ${CEL_LIMITS.maxEstimatedCost}: nest fewer comprehensions (all, exists, map, filter)`, position: positionOf(source, 0, source.length) } };
  }
  const program = parsed;
  const runLibrary = (bindings: CelBindings): unknown => {
    try {
      return program(bindings);
    } catch (error) {
      // The library types a JavaScript object by its `constructor` property, so a map with a key named `constructor`
      // (a label anyone may set: `constructor: x`) is "Unsupported type" and every rule reading it would fail on
      // that object: a way to slip past the organization's rules. Such maps are handed over again as Maps.
      if ((error as { code?: unknown }).code !== 'unsupported_type') throw error;
      const safe = constructorKeysAsMaps(bindings);
      if (safe === bindings) throw error;
      return program(safe);
    }
  };
  const fast = compileFast(program.ast);
  const run = fast
    ? (bindings: CelBindings): unknown => {
        try {
          return fast(bindings);
        } catch {
          // FAST_DEFER, or anything else the closures did not foresee: the library decides, with its own errors.
          return runLibrary(bindings);
        }
      }
    : runLibrary;
  return { ok: true, program: { source, type, estimatedCost: state.cost, run, runLibrary, fast } };
}

/**
 * A copy of `value` in which every plain object with an own key `constructor` is a Map (recursively), sharing every
 * part that needs no change; `value` itself when nothing does. JSON objects from a snapshot, so no cycles.
 */
function constructorKeysAsMaps<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const converted = constructorKeysAsMaps(item);
      if (converted !== item) (copy ??= value.slice())[i] = converted;
    }
    return (copy ?? value) as T;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const record = value as Record<string, unknown>;
  const asMap = Object.hasOwn(record, 'constructor');
  let changed = asMap;
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(record)) {
    const converted = constructorKeysAsMaps(record[key]);
    if (converted !== record[key]) changed = true;
    entries.push([key, converted]);
  }
  if (!changed) return value;
  return (asMap ? new Map(entries) : Object.fromEntries(entries)) as T;
}

/** A runtime error's first line, without the library's source excerpt. */
export function celRuntimeMessage(error: unknown): string {
  if (error instanceof Error) {
    const ranged = error as Error & Ranged;
    return userNames(ranged.summary ?? ranged.message.split('\n')[0] ?? 'evaluation failed');
  }
  return 'evaluation failed';
}

/** The library names the function it ran: `re2Matches` is what the author wrote as `matches`. */
function userNames(message: string): string {
  return message.replaceAll('re2Matches', 'matches');
}
function withUserNames(error: CelCompileError): CelCompileError {
  return { ...error, message: userNames(error.message) };
}
