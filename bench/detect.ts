/**
 * Detect phase: credential detector throughput on 1 MiB adversarial inputs. `npm run bench -- --only detect`
 * runs it in a child like the other phases; `npx tsx bench/detect.ts [--random N] [--seed S]` prints the table alone.
 *
 * For every detector (lib/testing/detect-adversarial.ts), over the worst-input corpus
 * (lib/analysis/snapshot/testdata/detect-worst.json) and N random recipes: the slowest input, its CPU time and the
 * throughput it gives in MB/s. A random recipe much slower than every corpus input is listed, ready to add to the
 * corpus. detect.fuzz.test.ts holds the same detectors to a time budget.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { MAX_SCANNED_VALUE_LENGTH } from '@/lib/analysis/snapshot/limits';
import { adversarialRecipe, buildInput, cpuMilliseconds, DETECTOR_CASES, MIB, WorstCorpusSchema, type Recipe } from '@/lib/testing/detect-adversarial';
import { ROOT } from './paths';

export type DetectArgs = { random: number; seed: number };
export type DetectRow = { detector: string; slowestCorpusInput: string; charactersRead: number; cpuMs: number; mbPerSecond: number; slowestRandomMs: number | null };
export type DetectResult = { corpusRecipes: number; randomRecipes: number; seed: number; loadAverage: number[]; rows: DetectRow[]; newWorst: Recipe[] };

type Worst = { ms: number; recipe: Recipe };

export function runDetect({ random, seed }: DetectArgs): DetectResult {
  const corpus = WorstCorpusSchema.parse(JSON.parse(readFileSync(path.join(ROOT, 'lib/analysis/snapshot/testdata/detect-worst.json'), 'utf8')));
  const randomRecipes = fc.sample(adversarialRecipe, { numRuns: random, seed });
  const worst = new Map<string, { corpus: Worst | null; random: Worst | null }>();
  for (const [source, recipes] of [['corpus', corpus.recipes], ['random', randomRecipes]] as const) {
    for (const recipe of recipes) {
      const input = buildInput(recipe, MIB);
      for (const detector of DETECTOR_CASES) {
        const ms = cpuMilliseconds(() => detector.run(input));
        const entry = worst.get(detector.name) ?? { corpus: null, random: null };
        if (ms > (entry[source]?.ms ?? -1)) entry[source] = { ms, recipe };
        worst.set(detector.name, entry);
      }
    }
  }
  const rows: DetectRow[] = [];
  const newWorst: Recipe[] = [];
  for (const [detector, { corpus: slowest, random: slowestRandom }] of worst) {
    const ms = slowest?.ms ?? 0;
    const charactersRead = DETECTOR_CASES.find((candidate) => candidate.name === detector)?.reads === 'cap' ? MAX_SCANNED_VALUE_LENGTH : MIB;
    rows.push({
      detector,
      slowestCorpusInput: slowest?.recipe.name ?? '-',
      charactersRead,
      cpuMs: ms,
      mbPerSecond: charactersRead / 1e6 / (Math.max(ms, 0.01) / 1000),
      slowestRandomMs: slowestRandom?.ms ?? null,
    });
    if (slowestRandom && slowestRandom.ms > 2 * ms && slowestRandom.ms > 20) newWorst.push({ ...slowestRandom.recipe, name: `random, slow for ${detector}` });
  }
  return { corpusRecipes: corpus.recipes.length, randomRecipes: randomRecipes.length, seed, loadAverage: os.loadavg(), rows, newWorst };
}

export function detectSection(result: DetectResult): string {
  const slowest = result.rows.reduce((a, b) => (b.mbPerSecond < a.mbPerSecond ? b : a));
  return [
    '### Credential detectors on 1 MiB adversarial inputs',
    '',
    `${result.corpusRecipes} corpus recipes and ${result.randomRecipes} random ones (seed ${result.seed}); CPU time of one call on the slowest input, and the characters it reads per second (the capped entry points read the first 64 KiB of each value; the uncapped patterns, the redaction finder and the engine all of it). The slowest detector runs at ${slowest.mbPerSecond.toFixed(0)} MB/s (${slowest.detector}).`,
    '',
    '| detector | slowest corpus input | reads | CPU ms | MB/s | slowest random, ms |',
    '|---|---|---:|---:|---:|---:|',
    ...result.rows.map((row) => `| ${row.detector} | ${row.slowestCorpusInput} | ${row.charactersRead === MIB ? '1 MiB' : `${row.charactersRead / 1024} KiB`} | ${row.cpuMs.toFixed(1)} | ${row.mbPerSecond.toFixed(1)} | ${row.slowestRandomMs === null ? '-' : row.slowestRandomMs.toFixed(1)} |`),
    ...(result.newWorst.length ? ['', 'Random recipes much slower than every corpus input (add them to the corpus):', '', '```json', JSON.stringify(result.newWorst, null, 2), '```'] : []),
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({ options: { random: { type: 'string', default: '20' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } });
  const result = runDetect({ random: Number(values.random), seed: Number(values.seed) });
  process.stdout.write(`${detectSection(result)}\n\nLoad average after: ${result.loadAverage.map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores\n`);
}
