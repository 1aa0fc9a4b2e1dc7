/**
 * `npm run load`: the whole stack under a steady production-like load on this machine. 50 agents push
 * 1,000-pod snapshots every 30 s while 20 members browse; then it waits for the evaluation backlog to drain.
 * Everything it starts (its own database, Redis prefix, `next start` from .next-load, two worker processes)
 * is stopped and removed at the end, on failure and on Ctrl-C too; --keep leaves the database and keys.
 * Figures go to stdout as Markdown and to bench/load-results.json. See bench/LOAD.md for a run's reading.
 */
import 'dotenv/config';
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { migrate } from '../lib/platform/db/migrate';
import { generateSigningCredentials } from '../lib/services/reports/signing-credentials';
import { parseLoadOptions, type LoadOptions } from './load/options';
import { assertLocal, deleteRedisKeys, serviceStartTimes, dropLoadDatabase, recreateLoadDatabase, withDatabase, LOAD_DATABASE } from './load/database';
import { seedLoadFixture, type LoadFixture } from './load/fixture';
import { DIST_DIR, spawnGroup, staleBuildReason, stopGroups, tailOf, waitForExit, waitForHealth, type StackChild } from './load/stack';
import { describeMachine } from './load/proc';
import { startCpuSampler, type CpuSampler } from './load/sampler';
import { buildTemplate, pushBaselines, runAgent, INGEST_ROUTE, type AgentRun, type PushLog } from './load/agents';
import { runHealthProbe, runUser, sessionCookie, PROBE_ROUTE, USER_ROUTES } from './load/users';
import { Recorder } from './load/recorder';
import { readEvaluationStats, waitForDrain, type DrainResult } from './load/evaluations';
import { evaluateTargets, renderMarkdown, type LoadResults } from './load/report';
import { buildHostilePayloads, noisyTargets, runHostileTenant, seedHostileTenant, HostileRecorder } from './load/noisy';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_FILE = path.join(ROOT, 'bench/load-results.json');
const SERVER_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bulwark';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function progress(line: string): void {
  process.stderr.write(`[load] ${line}\n`);
}

/** What has been started so far, so clean-up undoes exactly that and nothing more. */
type RunState = { children: StackChild[]; databaseCreated: boolean; redisPrefix: string; keep: boolean; controller: AbortController };

function loadEnv(options: LoadOptions, redisPrefix: string): Record<string, string> {
  const reportSigning = generateSigningCredentials('Bulwark load test report signing');
  const baseUrl = `http://localhost:${options.port}`;
  return {
    DATABASE_URL: withDatabase(SERVER_URL, LOAD_DATABASE),
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    // Only ever signs cookies for this throwaway server and database.
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    // Production refuses the dev IdP's client and missing keys (lib/platform/env.ts); sign-in here never goes through an IdP.
    OIDC_CLIENT_ID: 'bulwark-load',
    OIDC_CLIENT_SECRET: randomBytes(24).toString('base64url'),
    BULWARK_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64url'),
    // Production requires a report signing key (lib/platform/env.ts): one made on this machine, never published.
    REPORT_SIGNING_KEY: reportSigning.keyPem,
    REPORT_SIGNING_CERT: reportSigning.certPem,
    NEXTAUTH_URL: baseUrl,
    APP_URL: baseUrl,
    // Each agent pushes 60/interval times a minute; the intake limit is not what this run measures.
    INGEST_RATE_LIMIT_PER_MINUTE: '600',
    // --noisy measures the quotas as shipped: the per-token limit back at its default (each agent pushes twice a minute).
    ...(options.noisy ? { INGEST_RATE_LIMIT_PER_MINUTE: '30' } : {}),
    WORKER_CONCURRENCY: String(options.workerConcurrency),
    LOG_LEVEL: 'info',
  };
}

async function ensureBuild(options: LoadOptions, state: RunState, logDir: string): Promise<void> {
  const reason = staleBuildReason(ROOT);
  if (!reason) return progress(`${DIST_DIR} is up to date`);
  if (options.skipBuild && existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'))) return progress(`--skip-build: using ${DIST_DIR} although ${reason}`);
  progress(`building into ${DIST_DIR} (${reason}); log ${path.join(logDir, 'build.log')}`);
  const build = spawnGroup('build', [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: DIST_DIR }, logDir,
  });
  state.children.push(build);
  const started = performance.now();
  const code = await waitForExit(build);
  state.children.splice(state.children.indexOf(build), 1);
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${tailOf(build.logFile)}`);
  progress(`built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function waitForWorkers(workers: readonly StackChild[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const worker of workers) {
    while (!readFileSync(worker.logFile, 'utf8').includes('workers started')) {
      signal.throwIfAborted();
      if (worker.child.exitCode !== null) throw new Error(`${worker.name} exited with ${worker.child.exitCode}:\n${tailOf(worker.logFile)}`);
      if (Date.now() > deadline) throw new Error(`${worker.name} did not start within ${timeoutMs / 1000} s:\n${tailOf(worker.logFile)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One unmeasured request per route, so the first measured ones do not pay for loading route modules. */
async function warmUp(baseUrl: string, fixture: LoadFixture, cookie: string): Promise<void> {
  const pages = [`/o/${fixture.slug}`, `/o/${fixture.slug}/findings`, `/api/v1/orgs/${fixture.slug}/findings?limit=50`, `/o/${fixture.slug}/findings/00000000-0000-4000-8000-000000000000`];
  for (const page of pages) await (await fetch(`${baseUrl}${page}`, { headers: { cookie }, redirect: 'manual' })).text();
  // An empty object is refused with 400 after token, rate limit and body checks: the route is loaded, nothing stored.
  const token = fixture.clusters[0]?.token ?? '';
  await (await fetch(`${baseUrl}/api/v1/snapshots`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).text();
}

async function run(options: LoadOptions, state: RunState): Promise<LoadResults> {
  const signal = state.controller.signal;
  assertLocal(SERVER_URL, 'DATABASE_URL');
  assertLocal(REDIS_URL, 'REDIS_URL');
  const logDir = path.join(os.tmpdir(), state.redisPrefix);
  mkdirSync(logDir, { recursive: true });
  const env = loadEnv(options, state.redisPrefix);
  // lib/env parses process.env on first use: it must see the load database before any lib module runs.
  Object.assign(process.env, env);
  const servicesAtStart = await serviceStartTimes(SERVER_URL, REDIS_URL);
  const loadAverageAtStart = os.loadavg();
  progress(`load average ${loadAverageAtStart.map((v) => v.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores; logs in ${logDir}`);

  await ensureBuild(options, state, logDir);
  signal.throwIfAborted();

  await recreateLoadDatabase(SERVER_URL);
  state.databaseCreated = true;
  const migrated = await migrate(env.DATABASE_URL as string);
  progress(`database ${LOAD_DATABASE}: ${migrated.applied.length} migrations applied`);
  const fixture = await seedLoadFixture({ clusters: options.agents, users: options.users });
  progress(`seeded ${fixture.catalog}; organization "${fixture.slug}" with ${fixture.clusters.length} clusters and ${fixture.users.length} members`);

  const hostile = options.noisy ? await seedHostileTenant() : null;
  const hostilePayloads = hostile ? buildHostilePayloads(32 * 1024 * 1024) : null;
  if (hostile) progress(`--noisy: hostile organization "${hostile.slug}" with ${hostile.tokens.length} agent tokens`);

  const templateStart = performance.now();
  const agents: AgentRun[] = fixture.clusters.map((cluster) => ({ cluster, template: buildTemplate(cluster.seed, options.pods) }));
  const sample = agents[0]?.template;
  const gzipBytes = sample ? gzipSync(`${sample.before}"${new Date().toISOString()}"${sample.after}`).length : 0;
  progress(`built ${agents.length} snapshots of ${options.pods} pods in ${((performance.now() - templateStart) / 1000).toFixed(1)} s`);
  signal.throwIfAborted();

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const taken = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) }).then(() => true, () => false);
  if (taken) throw new Error(`port ${options.port} already answers: pick another with --port`);
  const childEnv = { ...process.env, NODE_ENV: 'production' as const, NEXT_DIST_DIR: DIST_DIR };
  const web = spawnGroup('web', [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(options.port), '-H', '127.0.0.1'], { cwd: ROOT, env: childEnv, logDir });
  state.children.push(web);
  const workers = Array.from({ length: options.workers }, (_, i) => spawnGroup(`worker-${i + 1}`, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'workers/main.ts'], {
    cwd: ROOT, env: { ...childEnv, BULWARK_WORKER_MAIN: '1' }, logDir,
  }));
  state.children.push(...workers);
  await waitForHealth(baseUrl, state.children, 180_000, signal);
  await waitForWorkers(workers, 120_000, signal);
  const secret = env.NEXTAUTH_SECRET as string;
  const cookies = await Promise.all(fixture.users.map((user) => sessionCookie(user, secret)));
  await warmUp(baseUrl, fixture, cookies[0] ?? '');
  progress(`stack up (web pid ${web.child.pid}, workers ${workers.map((w) => w.child.pid).join(', ')})`);
  if (options.baseline) {
    const started = performance.now();
    const ids = await pushBaselines(agents, { baseUrl, signal, recorder: new Recorder() });
    const baseline = await waitForDrain(fixture.organizationId, ids, options.drainTimeoutSeconds * 1000, signal, progress);
    if (!baseline.drained || (baseline.statuses.DONE ?? 0) !== ids.length) throw new Error(`baseline evaluations did not all finish: ${JSON.stringify(baseline.statuses)}`);
    progress(`baseline: ${ids.length} clusters evaluated once in ${((performance.now() - started) / 1000).toFixed(0)} s (not measured)`);
  }
  progress(`load for ${options.durationSeconds} s`);

  const recorder = new Recorder();
  const hostileRecorder = new HostileRecorder();
  const pushLog: PushLog = { accepted: [], duplicates: 0 };
  const sampler = startCpuSampler(web, workers, SERVER_URL);
  const loadStart = Date.now();
  const deadline = loadStart + options.durationSeconds * 1000;
  const intervalMs = options.pushIntervalSeconds * 1000;
  const ticker = setInterval(() => progress(`${Math.round((Date.now() - loadStart) / 1000)} s: ${pushLog.accepted.length} snapshots accepted, ${recorder.totalErrors()} errors, load ${os.loadavg()[0]?.toFixed(2)}`), 15_000);
  try {
    await Promise.all([
      ...agents.map((agent, i) => runAgent(agent, { baseUrl, intervalMs, offsetMs: (i * intervalMs) / agents.length, deadline, signal, recorder, log: pushLog })),
      ...cookies.map((cookie) => runUser({ baseUrl, slug: fixture.slug, cookie, thinkMs: options.thinkMs, deadline, signal, recorder })),
      runHealthProbe({ baseUrl, deadline, signal, recorder }),
      ...(hostile && hostilePayloads ? [runHostileTenant(hostile, hostilePayloads, { baseUrl, deadline, signal, recorder: hostileRecorder })] : []),
    ]);
  } finally {
    clearInterval(ticker);
  }
  const loadSeconds = (Date.now() - loadStart) / 1000;
  let drain: DrainResult;
  let cpu: ReturnType<CpuSampler['stop']>;
  try {
    signal.throwIfAborted();
    progress(`load stopped after ${loadSeconds.toFixed(0)} s: ${pushLog.accepted.length} snapshots accepted; waiting for evaluations`);
    drain = await waitForDrain(fixture.organizationId, pushLog.accepted, options.drainTimeoutSeconds * 1000, signal, progress);
  } finally {
    cpu = sampler.stop();
  }
  signal.throwIfAborted();
  const evaluations = await readEvaluationStats(fixture.organizationId, pushLog.accepted);
  const workerSeconds = cpu.components.filter((c) => c.component.startsWith('worker-')).reduce((sum, c) => sum + c.cpuSeconds, 0);
  const oursCores = cpu.components.reduce((sum, c) => sum + c.coresUsed, 0);

  const servicesAtEnd = await serviceStartTimes(SERVER_URL, REDIS_URL);
  const serviceRestarts = (['postgres', 'redis'] as const)
    // Redis reports its uptime in whole seconds, so its start time wobbles by a second between readings.
    .filter((service) => Math.abs((servicesAtStart[service] ?? 0) - (servicesAtEnd[service] ?? 0)) > 5_000)
    .map((service) => {
      const at = (ms: number | null) => (ms === null ? 'unreachable' : new Date(ms).toISOString());
      return `${service} restarted during the run (had started ${at(servicesAtStart[service])}, then ${at(servicesAtEnd[service])})`;
    });
  for (const line of serviceRestarts) progress(`WARNING: ${line}: the figures include that outage`);
  const routeOrder = [INGEST_ROUTE, ...Object.values(USER_ROUTES), PROBE_ROUTE];
  const partial: Omit<LoadResults, 'targets'> = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    loadAverage: { atStart: loadAverageAtStart, duringMean1m: cpu.loadMean, atEnd: os.loadavg() },
    options,
    load: {
      seconds: loadSeconds,
      pushesAccepted: pushLog.accepted.length,
      duplicates: pushLog.duplicates,
      ingestPerSecond: pushLog.accepted.length / loadSeconds,
      ingestPerMinute: (pushLog.accepted.length / loadSeconds) * 60,
      rawSnapshotBytes: sample?.rawBytes ?? 0,
      gzipSnapshotBytes: gzipBytes,
    },
    routes: routeOrder.map((route) => ({ route, latencyMs: recorder.summary(route), errors: recorder.errorsOf(route) })),
    drain,
    evaluations,
    cpu: {
      windowSeconds: cpu.windowSeconds,
      components: cpu.components,
      machineBusyCores: cpu.machineBusyCores,
      otherBusyCores: Math.max(0, cpu.machineBusyCores - oursCores),
      workerCpuSecondsPerEvaluation: evaluations.done ? workerSeconds / evaluations.done : null,
      postgresBackendSamples: cpu.backendActivity,
    },
    serviceRestarts,
    logs: logDir,
    ...(hostile ? { hostile: hostileRecorder.tally() } : {}),
  };
  const noisy = partial.hostile ? noisyTargets(partial.routes, INGEST_ROUTE, Object.values(USER_ROUTES), PROBE_ROUTE, partial.hostile) : [];
  return { ...partial, targets: [...evaluateTargets(partial, INGEST_ROUTE), ...noisy] };
}

async function cleanUp(state: RunState): Promise<void> {
  await stopGroups(state.children);
  state.children.length = 0;
  const { disconnectDb } = await import('../lib/platform/db/client');
  await disconnectDb().catch(() => {});
  if (state.keep) {
    progress(`--keep: database ${withDatabase(SERVER_URL, LOAD_DATABASE)} and Redis keys ${state.redisPrefix}:* left in place`);
    return;
  }
  if (state.databaseCreated) {
    // One retry: a connection of the stack we just stopped may still be closing, or Postgres restarting.
    await dropLoadDatabase(SERVER_URL)
      .catch(() => new Promise((resolve) => setTimeout(resolve, 3_000)).then(() => dropLoadDatabase(SERVER_URL)))
      .catch((error: unknown) => progress(`could not drop ${LOAD_DATABASE}: ${String(error)}`));
  }
  const deleted = await deleteRedisKeys(REDIS_URL, state.redisPrefix).catch(() => 0);
  progress(`dropped ${LOAD_DATABASE}; deleted ${deleted} Redis keys under ${state.redisPrefix}:`);
}

async function main(): Promise<number> {
  const options = parseLoadOptions(process.argv.slice(2));
  const state: RunState = { children: [], databaseCreated: false, redisPrefix: `bulwark-load-${Date.now()}`, keep: options.keep, controller: new AbortController() };
  // Every agent and user loop listens on this one signal (fetch and sleep): 70 listeners are expected, not a leak.
  setMaxListeners(0, state.controller.signal);
  let interrupted = false;
  const onSignal = (name: NodeJS.Signals) => {
    if (interrupted) {
      // A second Ctrl-C: do not wait for a graceful stop.
      for (const entry of state.children) if (entry.child.pid) try { process.kill(-entry.child.pid, 'SIGKILL'); } catch { /* gone */ }
      process.exit(130);
    }
    interrupted = true;
    progress(`${name}: stopping the load and cleaning up (again to force)`);
    state.controller.abort();
    void stopGroups(state.children);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const results = await run(options, state);
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${renderMarkdown(results)}\n`);
    progress(`results in ${path.relative(ROOT, RESULTS_FILE)}`);
    const missed = results.targets.filter((target) => !target.met);
    if (missed.length) progress(`targets missed: ${missed.map((target) => target.target).join('; ')}`);
    return missed.length ? 1 : 0;
  } catch (error) {
    if (interrupted) return 130;
    progress(`ERROR: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 2;
  } finally {
    await cleanUp(state);
  }
}

main().then(
  (code) => process.exit(code), // pools and Redis connections would otherwise keep the process alive
  (error: unknown) => {
    progress(`ERROR: ${String(error)}`);
    process.exit(2);
  },
);
