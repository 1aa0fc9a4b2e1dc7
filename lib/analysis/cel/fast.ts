import type { ASTNode } from '@marcbachmann/cel-js';
import { re2 } from './re2';

/**
 * A second evaluator for the common part of CEL: the library's tree, compiled once into JavaScript closures.
 *
 * Why by hand: the library (@marcbachmann/cel-js) walks its tree on every evaluation, with a virtual call per node
 * and a runtime type lookup on every field read; 50 custom controls over a 50,000-pod cluster spent about 1.0 s
 * there (bench/CUSTOM-CONTROLS.md), more than half the engine's own time. No maintained JavaScript CEL compiles to
 * closures. This file does, for a subset, and never decides anything the library would decide differently:
 *
 * - An expression outside the subset (optional syntax, map literals, conversions, timestamps, bytes, unknown
 *   functions...) does not compile here (`compileFast` returns null) and runs in the library.
 * - Inside the subset, a closure checks the runtime type of every value it touches. Whenever the values leave the
 *   cases it handles exactly (a missing key, a type mismatch, an overflow, a list compared with a list, an int
 *   compared with a double, any error the library would raise), it throws FAST_DEFER and the whole evaluation is
 *   run again by the library, which then answers, or raises its own error with its own message.
 *
 * So a fast result is only ever a value the library also returns; fast.test.ts holds the two evaluators to that with
 * generated expressions and objects. Values use the library's representation: int = bigint, double = number,
 * list = Array, map = plain object.
 */

export const FAST_DEFER: { readonly deferred: true } = Object.freeze({ deferred: true as const });

export type FastBindings = { object: unknown; namespaceObject: unknown; params: unknown; variables?: unknown };
export type FastProgram = (bindings: FastBindings) => unknown;

/** One evaluation: the bindings and the comprehension variables' slots. */
type Env = { b: FastBindings; s: unknown[] };
type Fn = (env: Env) => unknown;

const MAX_INT = 9223372036854775807n;
const MIN_INT = -9223372036854775808n;

function defer(): never {
  throw FAST_DEFER;
}

/**
 * What the library treats as a map: it switches on `value.constructor` (Object, or undefined for a null prototype).
 * A JSON map with its own key `constructor` (a label may be called that) is not one to the library: it raises
 * "Unsupported type", and the fast path defers, so the error is the library's.
 */
function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const kind: unknown = (value as { constructor?: unknown }).constructor;
  return kind === Object || kind === undefined;
}

/**
 * The library types every value it reads from a map, and every operand it dispatches on, by `constructor`; a map
 * with its own key `constructor` anywhere it looks makes it raise. It looks at one value (a field read: `shallow`)
 * or down the chain of first elements and first entries (an operand: `deep`, as its debugTypeDeep does). Where it
 * would raise, the fast path defers.
 */
function shallow<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isMap(value)) return value;
  return defer();
}

function deep<T>(value: T): T {
  let at: unknown = value;
  for (;;) {
    if (Array.isArray(at)) {
      if (at.length === 0) return value;
      at = at[0];
    } else if (typeof at === 'object' && at !== null) {
      if (!isMap(at)) return defer();
      let first: unknown = undefined;
      let found = false;
      for (const key in at) {
        first = at[key];
        found = true;
        break;
      }
      if (!found) return value;
      at = first;
    } else {
      return value;
    }
  }
}

function int(value: bigint): bigint {
  return value <= MAX_INT && value >= MIN_INT ? value : defer();
}

function bool(value: unknown): boolean {
  return value === true || value === false ? value : defer();
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : defer();
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : defer();
}

/** A comprehension's range: a list's elements, a map's keys (the library's order: Object.keys). */
function range(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) {
    deep(value);
    for (const item of value) shallow(item);
    return value;
  }
  if (isMap(value)) return Object.keys(deep(value));
  return defer();
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is one code point, as the library counts (for...of).
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function size(value: unknown): bigint {
  if (typeof value === 'string') return BigInt(codePoints(value));
  if (Array.isArray(value)) return BigInt(deep(value).length);
  if (isMap(value)) return BigInt(Object.keys(deep(value)).length);
  return defer();
}

/** `==` where both sides have one primitive type; anything else (lists, maps, int vs double) is the library's. */
function equals(a: unknown, b: unknown): boolean {
  const type = typeof a;
  if (type !== typeof b) return defer();
  if (type === 'string' || type === 'boolean' || type === 'bigint' || type === 'number') return a === b;
  if (a === null && b === null) return true;
  return defer();
}

function compare(a: unknown, b: unknown): number {
  const type = typeof a;
  if (type !== typeof b || (type !== 'string' && type !== 'bigint' && type !== 'number')) return defer();
  const x = a as string | bigint | number;
  const y = b as string | bigint | number;
  // NaN compares false both ways, as in the library (a < b, a > b).
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
}

function member(element: unknown, container: unknown): boolean {
  deep(container);
  if (Array.isArray(container)) {
    const type = typeof element;
    if (type !== 'string' && type !== 'bigint' && type !== 'boolean') return defer();
    let mixed = false;
    for (const item of container) {
      if (typeof item !== type) mixed = true;
      else if (item === element) return true;
    }
    // A list with other types may hold an element the library counts as equal (an int and a double): its answer.
    return mixed ? defer() : false;
  }
  if (isMap(container)) {
    if (typeof element !== 'string') return defer();
    return Object.hasOwn(container, element) && container[element] !== undefined;
  }
  return defer();
}

function field(receiver: unknown, name: string): unknown {
  if (isMap(receiver) && Object.hasOwn(receiver, name)) {
    const value = receiver[name];
    if (value !== undefined) return shallow(value);
  }
  return defer();
}

function index(receiver: unknown, key: unknown): unknown {
  if (Array.isArray(receiver)) {
    if (typeof key !== 'bigint' || key < 0n || key >= BigInt(receiver.length)) return defer();
    const value: unknown = receiver[Number(key)];
    return value === undefined ? defer() : shallow(value);
  }
  if (typeof key === 'string') return field(receiver, key);
  return defer();
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') return int(a + b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...deep(a), ...deep(b)];
  return defer();
}

function arithmetic(op: '-' | '*' | '/' | '%', a: unknown, b: unknown): unknown {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (op === '-') return int(a - b);
    if (op === '*') return int(a * b);
    // Division by zero is the library's error; so is the one quotient that leaves int64.
    if (b === 0n || (a === MIN_INT && b === -1n)) return defer();
    return op === '/' ? a / b : a % b;
  }
  if (typeof a === 'number' && typeof b === 'number' && op !== '%') return op === '-' ? a - b : op === '*' ? a * b : a / b;
  return defer();
}

const VARIABLES = new Set(['object', 'namespaceObject', 'params', 'variables']);

type Scope = { names: Map<string, number>; slots: { count: number } };

function args<T>(node: ASTNode): T {
  return node.args as T;
}

function compileNode(node: ASTNode, scope: Scope): Fn | null {
  switch (node.op) {
    case 'value': {
      const value: unknown = node.args;
      if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'number') {
        return () => value;
      }
      return null;
    }
    case 'id': {
      const name = args<string>(node);
      const slot = scope.names.get(name);
      if (slot !== undefined) return (env) => env.s[slot];
      if (!VARIABLES.has(name)) return null;
      if (name === 'object') return (env) => env.b.object;
      if (name === 'namespaceObject') return (env) => env.b.namespaceObject;
      if (name === 'params') return (env) => env.b.params;
      return (env) => (env.b.variables === undefined ? defer() : env.b.variables);
    }
    case '.': {
      const [receiverNode, name] = args<[ASTNode, string]>(node);
      const receiver = compileNode(receiverNode, scope);
      return receiver && ((env) => field(receiver(env), name));
    }
    case '[]': {
      const [receiverNode, keyNode] = args<[ASTNode, ASTNode]>(node);
      const receiver = compileNode(receiverNode, scope);
      const key = compileNode(keyNode, scope);
      return receiver && key && ((env) => index(receiver(env), key(env)));
    }
    case '!_': {
      const operand = compileNode(args<ASTNode>(node), scope);
      return operand && ((env) => !bool(operand(env)));
    }
    case '-_': {
      const operand = compileNode(args<ASTNode>(node), scope);
      return (
        operand &&
        ((env) => {
          const value = operand(env);
          // The library does not check -(-2^63); the result is its own.
          if (typeof value === 'bigint') return value === MIN_INT ? defer() : -value;
          return typeof value === 'number' ? -value : defer();
        })
      );
    }
    case '&&':
    case '||': {
      const [leftNode, rightNode] = args<[ASTNode, ASTNode]>(node);
      const left = compileNode(leftNode, scope);
      const right = compileNode(rightNode, scope);
      if (!left || !right) return null;
      // A left side that errs may still be absorbed by the right one (false && error): that is the library's case.
      return node.op === '&&' ? (env) => bool(left(env)) && bool(right(env)) : (env) => bool(left(env)) || bool(right(env));
    }
    case '?:': {
      const [conditionNode, thenNode, elseNode] = args<[ASTNode, ASTNode, ASTNode]>(node);
      const condition = compileNode(conditionNode, scope);
      const then = compileNode(thenNode, scope);
      const otherwise = compileNode(elseNode, scope);
      if (!condition || !then || !otherwise) return null;
      return (env) => (bool(condition(env)) ? then(env) : otherwise(env));
    }
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'in':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return compileBinary(node, scope);
    case 'list': {
      const items = args<ASTNode[]>(node).map((item) => compileNode(item, scope));
      if (items.some((item) => item === null)) return null;
      const compiled = items as Fn[];
      return (env) => compiled.map((item) => deep(item(env)));
    }
    case 'call':
      return compileCall(node, scope);
    case 'rcall':
      return compileMethod(node, scope);
    default:
      return null;
  }
}

function compileBinary(node: ASTNode, scope: Scope): Fn | null {
  const [leftNode, rightNode] = args<[ASTNode, ASTNode]>(node);
  const left = compileNode(leftNode, scope);
  const right = compileNode(rightNode, scope);
  if (!left || !right) return null;
  switch (node.op) {
    case '==':
      return (env) => equals(left(env), right(env));
    case '!=':
      return (env) => !equals(left(env), right(env));
    case '<':
      return (env) => compare(left(env), right(env)) < 0;
    case '<=':
      return (env) => compare(left(env), right(env)) <= 0;
    case '>':
      return (env) => compare(left(env), right(env)) > 0;
    case '>=':
      return (env) => compare(left(env), right(env)) >= 0;
    case 'in':
      return (env) => member(left(env), right(env));
    case '+':
      return (env) => add(left(env), right(env));
    case '-':
    case '*':
    case '/':
    case '%': {
      const op = node.op;
      return (env) => arithmetic(op, left(env), right(env));
    }
    default:
      return null;
  }
}

function compileCall(node: ASTNode, scope: Scope): Fn | null {
  const [name, callArgs] = args<[string, ASTNode[]]>(node);
  if (name === 'has' && callArgs.length === 1) {
    const target = callArgs[0] as ASTNode;
    if (target.op !== '.') return null;
    const [receiverNode, fieldName] = args<[ASTNode, string]>(target);
    const receiver = compileNode(receiverNode, scope);
    return (
      receiver &&
      ((env) => {
        const value = receiver(env);
        if (!isMap(value)) return defer();
        return Object.hasOwn(value, fieldName) && shallow(value[fieldName]) !== undefined;
      })
    );
  }
  if (name === 'size' && callArgs.length === 1) {
    const operand = compileNode(callArgs[0] as ASTNode, scope);
    return operand && ((env) => size(operand(env)));
  }
  return null;
}

const STRING_TESTS: Record<string, (text: string, argument: string) => boolean> = {
  startsWith: (text, argument) => text.startsWith(argument),
  endsWith: (text, argument) => text.endsWith(argument),
  contains: (text, argument) => text.includes(argument),
  re2Matches: (text, pattern) => re2(pattern).test(text),
};
// The library's own definitions (toLowerCase, not ASCII only): the fast path answers as the library does.
const STRING_MAPS: Record<string, (text: string) => string> = {
  lowerAscii: (text) => text.toLowerCase(),
  upperAscii: (text) => text.toUpperCase(),
  trim: (text) => text.trim(),
};
const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function compileMethod(node: ASTNode, scope: Scope): Fn | null {
  const [name, receiverNode, callArgs] = args<[string, ASTNode, ASTNode[]]>(node);
  const receiver = compileNode(receiverNode, scope);
  if (!receiver) return null;
  if (MACROS.has(name)) return compileMacro(name, receiver, callArgs, scope);
  const test = Object.hasOwn(STRING_TESTS, name) ? STRING_TESTS[name] : undefined;
  if (test && callArgs.length === 1) {
    const argument = compileNode(callArgs[0] as ASTNode, scope);
    return argument && ((env) => test(str(receiver(env)), str(argument(env))));
  }
  const map = Object.hasOwn(STRING_MAPS, name) ? STRING_MAPS[name] : undefined;
  if (map && callArgs.length === 0) return (env) => map(str(receiver(env)));
  if (name === 'size' && callArgs.length === 0) return (env) => size(receiver(env));
  if (name === 'join' && callArgs.length <= 1) {
    const separator = callArgs[0] ? compileNode(callArgs[0], scope) : () => '';
    return (
      separator &&
      ((env) => {
        const items = list(receiver(env));
        for (const item of items) if (typeof item !== 'string') return defer();
        return items.join(str(separator(env)));
      })
    );
  }
  return null;
}

function compileMacro(name: string, receiver: Fn, callArgs: ASTNode[], scope: Scope): Fn | null {
  const [variable, ...bodies] = callArgs;
  if (!variable || variable.op !== 'id') return null;
  const expected = name === 'map' ? [1, 2] : [1];
  if (!expected.includes(bodies.length)) return null;
  const slot = scope.slots.count++;
  const inner: Scope = { names: new Map(scope.names).set(args<string>(variable), slot), slots: scope.slots };
  const compiled = bodies.map((body) => compileNode(body, inner));
  if (compiled.some((body) => body === null)) return null;
  const [first, second] = compiled as [Fn, Fn | undefined];
  switch (name) {
    case 'all':
      // The first false decides; an element that errs before it is the library's (it may be absorbed or not).
      return (env) => {
        for (const item of range(receiver(env))) {
          env.s[slot] = item;
          if (!bool(first(env))) return false;
        }
        return true;
      };
    case 'exists':
      return (env) => {
        for (const item of range(receiver(env))) {
          env.s[slot] = item;
          if (bool(first(env))) return true;
        }
        return false;
      };
    case 'exists_one':
      return (env) => {
        let count = 0;
        for (const item of range(receiver(env))) {
          env.s[slot] = item;
          if (bool(first(env))) count++;
        }
        return count === 1;
      };
    case 'filter':
      return (env) => {
        const out: unknown[] = [];
        for (const item of range(receiver(env))) {
          env.s[slot] = item;
          if (bool(first(env))) out.push(item);
        }
        return out;
      };
    default: {
      const transform = second ?? first;
      const predicate = second ? first : null;
      return (env) => {
        const out: unknown[] = [];
        for (const item of range(receiver(env))) {
          env.s[slot] = item;
          if (predicate && !bool(predicate(env))) continue;
          out.push(transform(env));
        }
        return out;
      };
    }
  }
}

/**
 * The expression as closures, or null when it uses something outside the subset. The program throws FAST_DEFER
 * (or, on a value shape nobody foresaw, a JavaScript error): the caller then evaluates with the library.
 */
export function compileFast(ast: ASTNode): FastProgram | null {
  const slots = { count: 0 };
  const root = compileNode(ast, { names: new Map(), slots });
  if (!root) return null;
  const count = slots.count;
  return (bindings) => root({ b: bindings, s: count === 0 ? [] : new Array<unknown>(count) });
}
