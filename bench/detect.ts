/**
 * Credential detector throughput on 1 MiB adversarial inputs (not part of `npm test` or `npm run bench`'s phases):
 *
 *   npx tsx bench/detect.ts [--random N] [--seed S]
 *
 * For every detector (lib/testing/detect-adversarial.ts), over the worst-input corpus
 * (lib/snapshot/testdata/detect-worst.json) and N random recipes: the slowest input, its CPU time and the
 * throughput it gives in MB/s. A random recipe slower than every corpus input is printed as JSON, ready to add
 * to the corpus. detect.fuzz.test.ts holds the same detectors to a time budget.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { adversarialRecipe, buildInput, cpuMilliseconds, DETECTOR_CASES, MIB, WorstCorpusSchema, type Recipe } from '@/lib/testing/detect-adversarial';
import { ROOT } from './paths';

type Worst = { ms: number; recipe: Recipe };

function main(): void {
  const { values } = parseArgs({ options: { random: { type: 'string', default: '20' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } });
  const corpusPath = path.join(ROOT, 'lib/snapshot/testdata/detect-worst.json');
  const corpus = WorstCorpusSchema.parse(JSON.parse(readFileSync(corpusPath, 'utf8')));
  const random = fc.sample(adversarialRecipe, { numRuns: Number(values.random), seed: Number(values.seed) });
  const worst = new Map<string, { corpus: Worst; random: Worst | null }>();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');

  for (const [source, recipes] of [['corpus', corpus.recipes], ['random', random]] as const) {
    for (const recipe of recipes) {
      const input = buildInput(recipe, MIB);
      for (const detector of DETECTOR_CASES) {
        const ms = cpuMilliseconds(() => detector.run(input));
        const entry = worst.get(detector.name) ?? { corpus: { ms: -1, recipe }, random: null };
        if (source === 'corpus' && ms > entry.corpus.ms) entry.corpus = { ms, recipe };
        if (source === 'random' && ms > (entry.random?.ms ?? -1)) entry.random = { ms, recipe };
        worst.set(detector.name, entry);
      }
    }
  }

  const lines = [
    `Detector CPU time on 1 MiB adversarial inputs: ${corpus.recipes.length} corpus recipes + ${random.length} random (seed ${values.seed}); ${os.availableParallelism()} cores, load ${load}`,
    '',
    '| detector | slowest corpus input | CPU ms per MiB | MB/s | slowest random, ms |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  const newWorst: Recipe[] = [];
  for (const [name, { corpus: slowest, random: slowestRandom }] of worst) {
    const mbPerSecond = (MIB / 1e6) / (Math.max(slowest.ms, 0.01) / 1000);
    lines.push(`| ${name} | ${slowest.recipe.name} | ${slowest.ms.toFixed(1)} | ${mbPerSecond.toFixed(0)} | ${slowestRandom ? slowestRandom.ms.toFixed(1) : '-'} |`);
    if (slowestRandom && slowestRandom.ms > 2 * slowest.ms && slowestRandom.ms > 20) newWorst.push({ ...slowestRandom.recipe, name: `random, slow for ${name}` });
  }
  lines.push(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (newWorst.length > 0) lines.push('', 'Random recipes slower than every corpus input (add them to the corpus):', JSON.stringify(newWorst, null, 2));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
