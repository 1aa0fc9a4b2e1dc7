import fc from 'fast-check';
import { z } from 'zod';
import { evaluate } from '@/lib/analysis/engine';
import { withoutTrailingSlashes } from '@/lib/analysis/model/text';
import { classifyNamedValue, detectSecretValue, isHighEntropyToken, isSensitiveName, shannonEntropy } from '@/lib/analysis/snapshot/detect';
import { MAX_SCANNED_VALUE_LENGTH } from '@/lib/analysis/snapshot/limits';
import { findSensitiveValues } from '@/lib/analysis/snapshot/redact';
import { SECRET_PATTERNS } from '@/lib/analysis/snapshot/secret-patterns';
import { container, pod, snapshotOf } from './k8s';

/**
 * Adversarial inputs for the credential detectors and the other code that reads snapshot strings, shared by
 * detect.fuzz.test.ts (a time budget per detector) and the bench (throughput). An input is a recipe, not a
 * megabyte of text: prefix + unit repeated + suffix, cut to a length.
 */
export const RecipeSchema = z.object({
  name: z.string(),
  prefix: z.string().optional(),
  unit: z.string().min(1),
  suffix: z.string().optional(),
  before: z.string().optional(),
});
export type Recipe = z.infer<typeof RecipeSchema>;
export const WorstCorpusSchema = z.object({ about: z.string(), length: z.number().int().positive(), recipes: z.array(RecipeSchema).min(1) });

export const MIB = 1024 * 1024;

/** The recipe's input, exactly `length` characters long (the repeated part is cut to fit). */
export function buildInput(recipe: Pick<Recipe, 'prefix' | 'unit' | 'suffix'>, length: number): string {
  const prefix = recipe.prefix ?? '';
  const suffix = recipe.suffix ?? '';
  const room = Math.max(0, length - prefix.length - suffix.length);
  const body = recipe.unit.repeat(Math.ceil(room / recipe.unit.length)).slice(0, room);
  return (prefix + body + suffix).slice(0, length);
}

/** One example of each credential format the detectors know: their prefixes are the adversarial units. */
export const PATTERN_EXAMPLES: ReadonlyArray<{ reason: string; example: string }> = [
  { reason: 'private-key', example: '-----BEGIN ENCRYPTED RSA PRIVATE KEY-----' },
  { reason: 'aws-access-key', example: ' AKIAIOSFODNN7EXAMPLE ' },
  { reason: 'jwt', example: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
  { reason: 'known-token-format', example: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
  { reason: 'known-token-format', example: 'github_pat_11ABCDEFG0abcdefghijklmnop' },
  { reason: 'known-token-format', example: 'glpat-abcdefghij0123456789' },
  { reason: 'known-token-format', example: 'xoxb-1234567890-abcdefghijkl' },
  { reason: 'known-token-format', example: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX' },
  { reason: 'known-token-format', example: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' },
  { reason: 'known-token-format', example: 'whsec_abcdefghijklmnopqrstuvwxyz01' },
  { reason: 'known-token-format', example: 'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234' },
  { reason: 'known-token-format', example: 'npm_abcdefghijklmnopqrstuvwxyz0123456789' },
  { reason: 'known-token-format', example: 'SG.abcdefghijklmnop.abcdefghijklmnopqrstu' },
  { reason: 'known-token-format', example: 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' },
  { reason: 'known-token-format', example: `dop_v1_${'0123456789abcdef'.repeat(4)}` },
  { reason: 'credential-url', example: 'postgres+tls://app:hunter2@db:5432/app' },
];

/** Every prefix of every example, as a unit to repeat (once each: "s" and "sk" start several examples). */
export function examplePrefixRecipes(): Recipe[] {
  const units = new Map<string, string>();
  for (const { reason, example } of PATTERN_EXAMPLES) {
    for (let i = 1; i <= example.length; i++) if (!units.has(example.slice(0, i))) units.set(example.slice(0, i), `${reason} example, first ${i} characters`);
  }
  return [...units].map(([unit, name]) => ({ name, unit }));
}

const capped = (input: string) => input.slice(0, MAX_SCANNED_VALUE_LENGTH);

// Every place the redaction finder reads a string, holding the input.
function podCarrying(input: string): Record<string, unknown> {
  const c = {
    name: 'c',
    env: [{ name: input, value: input }, { name: 'DB_PASSWORD', value: input }],
    args: [`--${input}=${input}`, input, '--db-password', input],
    command: [input],
    livenessProbe: { httpGet: { httpHeaders: [{ name: input, value: input }] } },
  };
  return { kind: 'Pod', metadata: { name: 'p', annotations: { note: input } }, spec: { containers: [c] } };
}

// Every control, on a workload that carries the input wherever the engine reads a free-form string.
function evaluateCarrying(input: string): unknown {
  const workload = pod(
    { name: 'p', annotations: { note: input }, labels: { app: 'x' } },
    {
      containers: [container({ image: input, args: [input], env: [{ name: input, value: input }] })],
      volumes: [{ name: 'v', hostPath: { path: input } }],
    },
  );
  return evaluate(snapshotOf([workload]), { now: new Date('2025-01-01T00:00:00Z'), allowedRegistries: [input] });
}

/** `reads`: how much of a 1 MiB input the detector gets (the capped entry points read at most the cap), for throughput. */
export type DetectorCase = { name: string; run: (input: string) => unknown; reads?: 'input' | 'cap' };

/**
 * Each detector on the longest input it reads: the patterns without the length cap (they must be linear on
 * their own), the public functions as callers use them (they cap, then scan up to the cap).
 */
export const DETECTOR_CASES: readonly DetectorCase[] = [
  ...SECRET_PATTERNS.map((pattern) => ({ name: `${pattern.reason} pattern, uncapped`, run: (input: string) => pattern.matches(input) })),
  { name: 'detectSecretValue', run: (input) => detectSecretValue(input) },
  { name: 'detectSecretValue at the cap', run: (input) => detectSecretValue(capped(input)), reads: 'cap' },
  { name: 'isHighEntropyToken, uncapped', run: (input) => isHighEntropyToken(input) },
  { name: 'shannonEntropy, uncapped', run: (input) => shannonEntropy(input) },
  { name: 'isSensitiveName at the cap', run: (input) => isSensitiveName(capped(input)), reads: 'cap' },
  { name: 'classifyNamedValue at the cap', run: (input) => classifyNamedValue(capped(input), capped(input)), reads: 'cap' },
  { name: 'findSensitiveValues', run: (input) => [findSensitiveValues(podCarrying(input)), findSensitiveValues(podCarrying(capped(input)))] },
  { name: 'withoutTrailingSlashes', run: (input) => withoutTrailingSlashes(input) },
  { name: 'evaluate (every control)', run: (input) => evaluateCarrying(input) },
];

/** The patterns alone, for sweeps over hundreds of inputs (the prefixes of every example). */
export const PATTERN_CASES: readonly DetectorCase[] = DETECTOR_CASES.filter((detector) => detector.name.endsWith('pattern, uncapped'));

/** CPU time of one call, in milliseconds: time spent waiting for a core on a busy machine doesn't count. */
export function cpuMilliseconds(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

const SEPARATORS = ['.', '/', ':', '@', '-', '_', '=', '+', ' ', '\t', '\n', '://', '.eyJ', ':/', '//', '@.', '-----', 'BEGIN ', 'PRIVATE ', 'KEY'];
const RUN_CHARS = ['a', 'Z', '7', '+', '/', '=', '.', ':', '@', '-', '_', ' ', 'é', '🔑'];

/** A fragment of an adversarial unit: a separator, a prefix of a credential example, a run of one character, or noise. */
const fragment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SEPARATORS),
  fc.constantFrom(...PATTERN_EXAMPLES.map(({ example }) => example)).chain((example) => fc.integer({ min: 1, max: example.length }).map((n) => example.slice(0, n))),
  fc.tuple(fc.constantFrom(...RUN_CHARS), fc.integer({ min: 1, max: 40 })).map(([char, count]) => char.repeat(count)),
  fc.string({ maxLength: 6 }),
);
const fragments = (minLength: number, maxLength: number) => fc.array(fragment, { minLength, maxLength }).map((parts) => parts.join(''));

/** Random recipes: nested separators and pattern prefixes in a unit repeated to the full length. */
export const adversarialRecipe: fc.Arbitrary<Recipe> = fc
  .record({ prefix: fragments(0, 2), unit: fragments(1, 6), suffix: fragments(0, 2) })
  .filter((recipe) => recipe.unit.length > 0)
  .map((recipe) => ({ name: 'random', ...recipe }));
