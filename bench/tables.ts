/** Turns the results into the Markdown tables `npm run bench` prints, with every target checked. */
import type { EngineResult } from './engine';
import type { PipelineResult } from './pipeline';
import type { ReadPathResult } from './read-path';
import type { ReportResult } from './report';
import { detectSection, type DetectResult } from './detect';
import { formatMiB, formatMs, formatSpread, MIB, type Summary } from './stats';

export type Machine = { nproc: number; cpuModel: string; memory: string; node: string; postgres: string; loadAverage: { start: number[]; end: number[] } };
export type BenchResults = {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  options: { sizes: number[]; phases: string[]; runs: number | null; iterations: number; profile: boolean };
  engine: EngineResult[];
  pipeline: PipelineResult[];
  read: ReadPathResult | null;
  report: ReportResult | null;
  detect: DetectResult | null;
  failures: { phase: string; label: string; error: string }[];
};

export type TargetCheck = { target: string; actual: string; met: boolean | null };

type Row = { figure: string; values: (Summary | number | null)[]; format: (value: number) => string; spread?: boolean };

function cell(value: Summary | number | null, row: Row): string {
  if (value === null || (typeof value !== 'number' && value.n === 0)) return '–';
  if (typeof value === 'number') return row.format(value);
  return row.spread === false ? row.format(value.median) : formatSpread(value);
}

function median(value: Summary | number | null): number | null {
  return value === null ? null : typeof value === 'number' ? value : value.n === 0 ? null : value.median;
}

/** One table of figures by size, then a column per growth step (each figure's M/S and L/M ratio). */
function sizeTable(sizes: string[], short: string[], rows: Row[]): string {
  const steps = short.slice(1).map((size, index) => `${short[index]}→${size}`);
  const header = [...sizes, ...steps.map((s) => `growth ${s}`)];
  const lines = [`| figure | ${header.join(' | ')} |`, `|---|${header.map(() => '---:').join('|')}|`];
  for (const row of rows) {
    const growth = steps.map((_, index) => {
      const before = median(row.values[index] ?? null);
      const after = median(row.values[index + 1] ?? null);
      return before && after ? `${(after / before).toFixed(1)}×` : '–';
    });
    lines.push(`| ${[row.figure, ...row.values.map((value) => cell(value, row)), ...growth].join(' | ')} |`);
  }
  return lines.join('\n');
}

const ratio = (value: number) => `${value.toFixed(2)}×`;
const count = (value: number) => value.toLocaleString('en');
const mib = (value: number) => formatMiB(value);

function engineSection(engine: EngineResult[]): string {
  const sizes = engine.map((e) => `${e.size} (${count(e.pods)} pods)`);
  return [`### Engine: evaluate() (median (min-max) of ${engine.map((e) => e.evaluateMs.n).join('/')} runs)`, '', sizeTable(sizes, engine.map((e) => e.size), [
    { figure: 'objects', values: engine.map((e) => e.objects), format: count },
    { figure: 'node reports', values: engine.map((e) => e.nodes ?? 0), format: count },
    { figure: 'findings', values: engine.map((e) => e.findings), format: count },
    { figure: 'snapshot JSON', values: engine.map((e) => e.jsonBytes), format: mib },
    { figure: 'evaluate()', values: engine.map((e) => e.evaluateMs), format: formatMs },
    { figure: 'evaluate() CPU', values: engine.map((e) => e.evaluateCpuMs), format: formatMs, spread: false },
    { figure: 'JSON.parse of the same snapshot', values: engine.map((e) => e.parseMs), format: formatMs },
    { figure: 'evaluate / JSON.parse', values: engine.map((e) => e.ratioToParse), format: ratio },
    { figure: 'heap before evaluate (snapshot loaded)', values: engine.map((e) => e.memory.heapBeforeBytes), format: mib },
    { figure: 'heap peak during evaluate', values: engine.map((e) => e.memory.heapPeakBytes), format: mib },
    { figure: 'peak RSS, whole child', values: engine.map((e) => e.memory.rssPeakProcessBytes), format: mib },
  ]), ...engine.flatMap((e) => (e.deviations.length ? ['', `Synthetic ${e.size} deviates: ${e.deviations.join('; ')}`] : []))].join('\n');
}

function pipelineSection(pipeline: PipelineResult[]): string {
  const sizes = pipeline.map((p) => `${p.size} (${count(p.findings)} findings)`);
  const table = sizeTable(sizes, pipeline.map((p) => p.size), [
    { figure: 'snapshot, gzip', values: pipeline.map((p) => p.gzipBytes), format: mib },
    { figure: 'first snapshot: push → 202', values: pipeline.map((p) => p.push.first), format: formatMs },
    { figure: 'first snapshot: evaluateStoredSnapshot', values: pipeline.map((p) => p.evaluate.first), format: formatMs },
    { figure: 'first snapshot: push → stored', values: pipeline.map((p) => p.stored.first), format: formatMs },
    { figure: 'unchanged re-push: push → 202', values: pipeline.map((p) => p.push.repush), format: formatMs },
    { figure: 'unchanged re-push: evaluateStoredSnapshot', values: pipeline.map((p) => p.evaluate.repush), format: formatMs },
    { figure: 'unchanged re-push: push → stored', values: pipeline.map((p) => p.stored.repush), format: formatMs },
    { figure: 'unchanged, as the agent sends it (notice): push → 202', values: pipeline.map((p) => p.push.notice), format: formatMs },
    { figure: 'unchanged, as the agent sends it (notice): evaluateStoredSnapshot', values: pipeline.map((p) => p.evaluate.notice), format: formatMs },
    { figure: 'unchanged, as the agent sends it (notice): push → stored', values: pipeline.map((p) => p.stored.notice), format: formatMs },
    { figure: 'bulk INSERT … unnest of the same rows', values: pipeline.map((p) => p.bulkInsert), format: formatMs },
    { figure: 'same rows + RETURNING + opened events, one statement', values: pipeline.map((p) => p.bulkInsertWithEvents), format: formatMs },
    { figure: 'first push → stored / bulk insert', values: pipeline.map((p) => (p.runs ? p.firstToBulk : null)), format: ratio },
    { figure: 're-push / first (push → stored)', values: pipeline.map((p) => (p.runs ? p.repushToFirst : null)), format: ratio },
    { figure: 're-push / first (evaluateStoredSnapshot)', values: pipeline.map((p) => (p.runs ? p.evaluateRepushToFirst : null)), format: ratio },
    { figure: 'notice / first (push → stored)', values: pipeline.map((p) => (p.runs ? p.noticeToFirst : null)), format: ratio },
  ]);
  const failures = pipeline.filter((p) => p.failure).map((p) => `- ${p.size}: ${p.failure}`);
  const profiles = pipeline.flatMap((p) => (['first', 'repush', 'notice'] as const).flatMap((kind) => {
    const profile = p.profile?.[kind];
    if (!profile) return [];
    const top = profile.top.slice(0, 5).map((s) => `  - ${formatMs(s.totalMs)} in ${s.calls}× \`${s.statement.slice(0, 110)}\``).join('\n');
    const cpu = profile.cpu ? `\n  CPU by area: ${profile.cpu.areas.slice(0, 6).map((a) => `${a.name} ${(a.share * 100).toFixed(0)}%`).join(', ')}` : '';
    return `- ${p.size} ${kind}: evaluate ${formatMs(profile.evaluateMs)}, database busy ${formatMs(profile.dbMs)} over ${profile.statements} statements${cpu}\n${top}`;
  }));
  return [`### Pipeline (median (min-max) of ${pipeline.map((p) => p.runs).join('/')} runs; a new organization per run)`, '', table, '',
    ...(failures.length ? ['Failed:', '', ...failures, ''] : []), 'Where the evaluation time goes (last run):', '', ...profiles].join('\n');
}

function percentileTable(title: string, rows: { name: string; ms: Summary; extra?: string }[]): string {
  return [`### ${title}`, '', '| query | p50 | p95 | max | n | |', '|---|---:|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.name} | ${formatMs(r.ms.p50)} | ${formatMs(r.ms.p95)} | ${formatMs(r.ms.max)} | ${r.ms.n} | ${r.extra ?? ''} |`)].join('\n');
}

function readSection(read: ReadPathResult): string {
  const seed = `${count(read.seed.findings)} findings over ${read.seed.organizations} organizations; largest ${read.orgs[0]?.slug} (${count(read.orgs[0]?.findings ?? 0)} findings), median ${read.orgs[1]?.slug} (${count(read.orgs[1]?.findings ?? 0)})`
    + (read.seed.seededNowMs ? `; seeded in ${formatMs(read.seed.seededNowMs)}` : '');
  const http = read.http.skipped ? `HTTP: skipped (${read.http.skipped})`
    : percentileTable('HTTP (next start, production build)', read.http.timings.map((t) => ({ name: t.name, ms: t.ms, extra: `${(t.bytes / 1024).toFixed(0)} KiB` })));
  return [
    `Read-path data: ${seed}.`, '',
    percentileTable('Dashboard (getDashboard)', read.dashboard), '',
    percentileTable('Dashboard statements, largest org (timed inside the concurrent set)', read.dashboardStatements.slice(0, 8).map((s) => ({ name: `\`${s.name.slice(0, 100)}\``, ms: s.ms }))), '',
    percentileTable('Findings list (listFindings, largest org, 50 per page)', read.findingsList.map((f) => ({ name: f.name, ms: f.ms, extra: f.note ?? (f.rows !== undefined ? `${f.rows} rows` : '') }))), '',
    http,
  ].join('\n');
}

function reportSection(report: ReportResult): string {
  if (report.skipped) return `### Report\n\nSkipped: ${report.skipped}`;
  return ['### Report (PDF)', '', '| figure | value |', '|---|---:|',
    `| findings | ${count(report.findings)} |`, `| time (median (min-max) of ${report.ms?.n ?? 0}) | ${report.ms ? formatSpread(report.ms) : '–'} |`,
    `| PDF size | ${formatMiB(report.bytes)} |`, `| peak RSS, whole child | ${formatMiB(report.rssPeakBytes)} |`, `| heap peak while rendering | ${formatMiB(report.heapPeakBytes)} |`].join('\n');
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const engineL = results.engine.find((e) => e.size === 'L');
  const engineM = results.engine.find((e) => e.size === 'M');
  if (engineL) {
    // Issue 21: with node reports for 500 nodes, within 2× JSON.parse of the same input (the older target was 3×).
    checks.push({ target: `engine L (${engineL.nodes} node reports): evaluate ≤ 2× JSON.parse`, actual: ratio(engineL.ratioToParse), met: engineL.ratioToParse <= 2 });
    const peak = Math.max(...results.engine.map((e) => e.memory.rssPeakProcessBytes));
    checks.push({ target: 'engine: peak RSS < 1.5 GB', actual: formatMiB(peak), met: peak < 1.5 * 1024 * MIB });
  }
  if (engineL && engineM) {
    const growth = engineL.evaluateMs.median / engineM.evaluateMs.median;
    checks.push({ target: 'engine: L/M evaluate within 6× (5× the pods)', actual: ratio(growth), met: growth <= 6 });
  }
  const pipelineM = results.pipeline.find((p) => p.size === 'M');
  if (pipelineM && !pipelineM.runs) {
    checks.push({ target: 'pipeline M: push → stored ≤ 5 s', actual: `failed: ${pipelineM.failure}`, met: false });
  } else if (pipelineM) {
    checks.push({ target: 'pipeline M: push → stored ≤ 5 s', actual: formatMs(pipelineM.stored.first.median), met: pipelineM.stored.first.median <= 5000 });
    checks.push({ target: 'pipeline M: unchanged re-push evaluation ≤ 1/3 of the first evaluation', actual: ratio(pipelineM.evaluateRepushToFirst), met: pipelineM.evaluateRepushToFirst <= 1 / 3 });
    checks.push({ target: 'pipeline M: unchanged re-push, push → stored ≤ 1/3 of the first (intake included)', actual: ratio(pipelineM.repushToFirst), met: pipelineM.repushToFirst <= 1 / 3 });
    checks.push({ target: 'pipeline M: unchanged collection as the agent sends it (notice), push → stored ≤ 1/3 of the first', actual: ratio(pipelineM.noticeToFirst), met: pipelineM.noticeToFirst <= 1 / 3 });
  }
  if (results.detect) {
    const slowest = Math.min(...results.detect.rows.map((row) => row.mbPerSecond));
    // A target for linearity, not speed: a quadratic detector reads below 0.01 MB/s on 1 MiB. The slowest today,
    // classifyNamedValue on 64 KiB of eyJ (name segments), reads about 2 MB/s at load 19 on 2 cores.
    checks.push({ target: 'credential detectors ≥ 0.5 MB/s on their slowest 1 MiB adversarial input', actual: `${slowest.toFixed(1)} MB/s`, met: slowest >= 0.5 });
  }
  if (results.read) {
    const dashboard = Math.max(...results.read.dashboard.map((d) => d.ms.p95));
    checks.push({ target: 'dashboard queries p95 < 50 ms', actual: formatMs(dashboard), met: dashboard < 50 });
    const worst = results.read.findingsList.reduce((a, b) => (b.ms.p95 > a.ms.p95 ? b : a));
    checks.push({ target: 'findings list p95 < 100 ms, any filter/page', actual: `${formatMs(worst.ms.p95)} (worst: ${worst.name})`, met: worst.ms.p95 < 100 });
    const page = results.read.http.timings.find((t) => t.name.startsWith('dashboard page'));
    checks.push({ target: 'dashboard page p95 < 300 ms', actual: page ? formatMs(page.ms.p95) : `not measured: ${results.read.http.skipped}`, met: page ? page.ms.p95 < 300 : null });
  }
  if (results.report) {
    const report = results.report;
    checks.push({ target: 'report PDF, 20,000 findings: < 15 s', actual: report.ms ? formatMs(report.ms.median) : `not measured: ${report.skipped}`, met: report.ms ? report.ms.median < 15_000 : null });
  }
  return checks;
}

/** Key plan lines of every statement the read path sent, for bench/EXPLAIN.md. */
export function renderPlans(read: ReadPathResult): string {
  return read.plans.map((plan) => [`#### ${plan.query} (${plan.executionMs.toFixed(1)} ms)`, '', '```sql', plan.statement.slice(0, 600), '```', '', '```text', ...plan.keyLines.map((line) => line.slice(0, 220)), '```', ''].join('\n')).join('\n');
}

export function renderResults(results: BenchResults): string {
  const m = results.machine;
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  const sections = [
    `## Bulwark bench, ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC`, '',
    `Machine: ${m.nproc} cores, ${m.cpuModel}; ${m.node}; ${m.postgres}. Load average ${load(m.loadAverage.start)} at start, ${load(m.loadAverage.end)} at end.`, '',
  ];
  if (results.engine.length) sections.push(engineSection(results.engine), '');
  if (results.pipeline.length) sections.push(pipelineSection(results.pipeline), '');
  if (results.read) sections.push(readSection(results.read), '');
  if (results.report) sections.push(reportSection(results.report), '');
  if (results.detect) sections.push(detectSection(results.detect), '');
  if (results.failures.length) sections.push('### Failed children', '', ...results.failures.map((f) => `- ${f.phase} ${f.label}: ${f.error}`), '');
  const checks = checkTargets(results);
  if (checks.length) {
    sections.push('### Targets', '', '| target | actual | |', '|---|---|---|',
      ...checks.map((c) => `| ${c.target} | ${c.actual} | ${c.met === null ? 'not measured' : c.met ? 'met' : '**missed**'} |`));
  }
  return sections.join('\n');
}
