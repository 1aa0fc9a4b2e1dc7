/**
 * The system under test as child processes: a production build in its own folder (others build into .next at
 * the same time), `next start`, and the BullMQ workers. Each child leads its own process group, so stopping it
 * also stops whatever it forked (tsx runs the worker in a grandchild).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const DIST_DIR = '.next-load';

export type StackChild = { name: string; child: ChildProcess; logFile: string };

// What `next build` compiles; tests do not change the build, so they do not make it stale.
const SOURCE_DIRS = ['app', 'lib', 'public', 'components'];
const SOURCE_FILES = ['next.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.next.json', 'postcss.config.mjs', 'proxy.ts', 'middleware.ts'];

function newestMtime(root: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const consider = (file: string) => {
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !/\.(test|spec)\.tsx?$/.test(entry.name)) consider(full);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) consider(path.join(root, file));
  return newest;
}

/** Why the build in DIST_DIR must be (re)made, or null when it is newer than every source. */
export function staleBuildReason(root: string): string | null {
  const buildId = path.join(root, DIST_DIR, 'BUILD_ID');
  if (!existsSync(buildId)) return `${DIST_DIR}/BUILD_ID is missing`;
  const built = statSync(buildId).mtimeMs;
  const newest = newestMtime(root);
  return newest.mtimeMs > built ? `${path.relative(root, newest.file)} is newer than ${DIST_DIR}/BUILD_ID` : null;
}

export function spawnGroup(name: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logDir: string }): StackChild {
  const logFile = path.join(options.logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  child.on('exit', () => log.end());
  return { name, child, logFile };
}

export async function waitForExit(entry: StackChild): Promise<number> {
  if (entry.child.exitCode !== null) return entry.child.exitCode;
  return new Promise((resolve, reject) => {
    entry.child.once('error', reject);
    entry.child.once('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls /api/health until it answers 200; fails early when a child has already exited. */
export async function waitForHealth(baseUrl: string, children: readonly StackChild[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    const dead = children.find((entry) => entry.child.exitCode !== null);
    if (dead) throw new Error(`${dead.name} exited with ${dead.child.exitCode} during start-up:\n${tailOf(dead.logFile)}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(5_000) });
      await response.text();
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${baseUrl}/api/health did not answer 200 within ${timeoutMs / 1000} s`);
}

function killGroup(entry: StackChild, signal: NodeJS.Signals): void {
  if (!entry.child.pid) return;
  try {
    process.kill(-entry.child.pid, signal);
  } catch { /* already gone */ }
}

/** SIGTERM to each child's process group (workers finish or return their job), SIGKILL after `graceMs`. */
export async function stopGroups(children: readonly StackChild[], graceMs = 15_000): Promise<void> {
  const running = children.filter((entry) => entry.child.exitCode === null && entry.child.signalCode === null);
  for (const entry of running) killGroup(entry, 'SIGTERM');
  await Promise.race([
    Promise.all(running.map((entry) => waitForExit(entry).catch(() => 1))),
    new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
  ]);
  // The group may outlive its leader (a grandchild that ignored SIGTERM): SIGKILL the whole group regardless.
  for (const entry of running) killGroup(entry, 'SIGKILL');
}
