import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adversarialRecipe,
  buildInput,
  cpuMilliseconds,
  DETECTOR_CASES,
  examplePrefixRecipes,
  MIB,
  PATTERN_CASES,
  PATTERN_EXAMPLES,
  WorstCorpusSchema,
  type DetectorCase,
  type Recipe,
} from '@/lib/testing/detect-adversarial';
import { detectSecretPattern, isSensitiveName } from './detect';
import { forEachNameSegment } from './name-segments';
import { SECRET_PATTERNS } from './secret-patterns';

/*
 * The detectors read strings a hostile tenant chooses. A quadratic one turned a 1.8 KB gzipped snapshot into
 * 6 s of a blocked web process (issue 16). This test feeds every detector 1 MiB adversarial inputs and fails
 * when one call takes more than BUDGET_MS of CPU time. The budget is ~10x what the slowest detector takes on
 * this 2-core machine at load 16 (about 100 ms per MiB; CPU time, so waiting for a core doesn't count); a
 * quadratic detector takes minutes at 1 MiB. Each input is tried at 64 KiB first with the same budget, so a
 * quadratic detector usually fails there within seconds instead of blocking the run for minutes at 1 MiB.
 *
 * The random part uses fast-check (maintained, shrinking, reproducible seeds) rather than a hand-rolled
 * generator. Its seed is fixed so `npm test` is deterministic; DETECT_FUZZ_SEED=<n> explores others, and a slow
 * input it finds belongs in testdata/detect-worst.json as a recipe.
 */
const BUDGET_MS = 1000;
const STEPS = [64 * 1024, MIB];

function overBudget(detectors: readonly DetectorCase[], recipe: Pick<Recipe, 'prefix' | 'unit' | 'suffix'>): string[] {
  const slow: string[] = [];
  for (const length of STEPS) {
    const input = buildInput(recipe, length);
    for (const detector of detectors) {
      const spent = cpuMilliseconds(() => detector.run(input));
      if (spent > BUDGET_MS) slow.push(`${detector.name}: ${Math.round(spent)} ms of CPU on ${length} characters (budget ${BUDGET_MS} ms)`);
    }
    if (slow.length > 0) break; // don't try a slow detector on a 16x longer input
  }
  return slow;
}

// The patterns as they were before the linear rewrite (quadratic on long runs, fine on short strings), and the
// pieces short inputs are made of, so that a fair share of them match: the rewrite must find exactly what they found.
const ORIGINALS: Record<string, { regex: RegExp; pieces: string[] }> = {
  'private-key': {
    regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/,
    pieces: ['-----BEGIN ', 'RSA ', 'A1 ', ' ', 'PRIVATE KEY', ' BLOCK', '-----', 'PRIVATE ', 'x'],
  },
  jwt: {
    regex: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/,
    pieces: ['eyJ', 'abcdefgh', 'abcd', 'a', '_', '-', '.', ' ', '+', 'eyJabcdefgh.', '.eyJ'],
  },
  'known-token-format': {
    regex: new RegExp(
      [
        'gh[pousr]_[A-Za-z0-9]{36,}', 'github_pat_[A-Za-z0-9_]{22,}', 'glpat-[A-Za-z0-9_-]{20,}', 'xox[abposr]-[A-Za-z0-9-]{10,}',
        'hooks\\.slack\\.com/services/[A-Za-z0-9/]{20,}', '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}', 'whsec_[A-Za-z0-9]{24,}',
        'AIza[0-9A-Za-z_-]{35}', 'npm_[A-Za-z0-9]{36}', 'SG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}', 'sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}',
        'dop_v1_[a-f0-9]{64}',
      ].join('|'),
    ),
    pieces: ['ghp_', 'github_pat_', 'glpat-', 'xoxb-', 'hooks.slack.com/services/', 'rk_test_', 'whsec_', 'AIza', 'npm_', 'SG.', 'sk-', 'proj-', 'dop_v1_',
      'abcdefghij', '0123456789abcdef', '_', '-', '.', '/', ' '],
  },
  'credential-url': {
    regex: /[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/,
    pieces: ['a', '1', '+', '.', ':', '/', '://', 'a://', '@', ' ', 'u', ':p@', 'u:p@', '\t'],
  },
};

const corpus = WorstCorpusSchema.parse(JSON.parse(readFileSync(new URL('./testdata/detect-worst.json', import.meta.url), 'utf8')));

describe('credential detectors on adversarial input', () => {
  it('still recognizes each example the adversarial prefixes are cut from', () => {
    for (const { reason, example } of PATTERN_EXAMPLES) expect(detectSecretPattern(example), example).toBe(reason);
  });

  it.each(Object.entries(ORIGINALS))('finds exactly what the original %s regex found, on short inputs', (reason, { regex, pieces }) => {
    const pattern = SECRET_PATTERNS.find((candidate) => candidate.reason === reason);
    const piece = fc.oneof({ arbitrary: fc.constantFrom(...pieces), weight: 9 }, { arbitrary: fc.string({ maxLength: 2 }), weight: 1 });
    const shortInput = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    let matched = 0;
    fc.assert(
      fc.property(shortInput, (input) => {
        const expected = regex.test(input);
        if (expected) matched++;
        return pattern?.matches(input) === expected;
      }),
      { seed: 20261206, numRuns: 10_000 },
    );
    expect(matched).toBeGreaterThan(50); // the comparison saw credentials, not only misses
  });

  it('splits names into exactly the segments the original regex split gave, and runs them together the same', () => {
    const pieces = ['DB', 'db', 'Password', 'PASS', 'word', 'Token', 'tokens', 'KEY', 'key', 'Id', 'FILE', 'Path', 'url', 'Pwd', 'OLD', 'PWD', 'Authorization',
      'secret', 'api', 'Key', 'Cookie', 'salt', 'aB', 'x', '1', '_', '-', '.', ' ', 'ß', 'ı', 'ſ', 'ﬁ', 'é', 'Ǳ', 'ǅ', '🔑', '\ud800'];
    const piece = fc.oneof({ arbitrary: fc.constantFrom(...pieces), weight: 8 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 3 }), weight: 2 });
    const name = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    const originalSegments = (value: string) =>
      value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter((segment) => segment.length > 0);
    let sensitive = 0;
    fc.assert(
      fc.property(name, (value) => {
        const segments: (string | null)[] = [];
        forEachNameSegment(value, (segment) => segments.push(segment));
        expect(segments).toEqual(originalSegments(value).map((segment) => (segment.length <= 16 ? segment : null)));
        // isSensitiveName looks for the long words in the segments run together, read straight from the upper-cased name.
        expect(value.toUpperCase().replace(/[^A-Z0-9]+/g, '')).toBe(originalSegments(value).join(''));
        if (isSensitiveName(value)) sensitive++;
      }),
      { seed: 20261206, numRuns: 10_000 },
    );
    expect(sensitive).toBeGreaterThan(500);
  });

  it.each(corpus.recipes.map((recipe) => [recipe.name, recipe] as const))(
    'reads the worst input found so far, %s, in linear time',
    (_, recipe) => {
      expect(buildInput(recipe, corpus.length)).toHaveLength(corpus.length);
      expect(overBudget(DETECTOR_CASES, recipe)).toEqual([]);
    },
    120_000,
  );

  it('reads every prefix of every credential format, repeated to 1 MiB, in linear time', () => {
    const slow = examplePrefixRecipes().flatMap((recipe) => overBudget(PATTERN_CASES, recipe).map((line) => `${JSON.stringify(recipe.unit)}: ${line}`));
    expect(slow).toEqual([]);
  }, 300_000);

  it('reads random nests of separators and credential prefixes, repeated to 1 MiB, in linear time', () => {
    const seed = Number(process.env.DETECT_FUZZ_SEED ?? 20261206);
    fc.assert(
      fc.property(adversarialRecipe, (recipe) => {
        expect(overBudget(DETECTOR_CASES, recipe)).toEqual([]);
      }),
      // No shrinking: each try of a slow input costs seconds, and the recipe is small enough to read as it is.
      { seed, numRuns: 20, endOnFailure: true },
    );
  }, 300_000);
});
