import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { drainSpool, deliverSnapshot } from './deliver';
import { UsageError, parseDuration, parsePositiveInt } from './errors';
import { createLogger, isLogLevel, type Logger } from './log';
import { createSnapshotMaker } from './make-snapshot';
import { ManifestError } from '@/lib/analysis/snapshot/manifests';
import { encodeSnapshot, type PushConfig } from './push';
import { runAgent } from './run';
import { runNodeCommand } from './node-run';
import { DEFAULT_SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_FILES, Spool } from './spool';
import { AGENT_VERSION } from './version';

const USAGE = `Bulwark agent ${AGENT_VERSION}

Usage: npm run agent -- <command> [options]

Commands:
  snapshot   Build one snapshot and write it, exactly as it would be sent (stdout, or --out FILE)
  push       Build one snapshot and send it to the Bulwark server (spooled snapshots go first)
  run        Collect and push every --interval until SIGTERM
  node       Read this node's control-plane and kubelet settings, file modes and owners (CIS sections 1-4)
             and write one node report (stdout, or --out FILE), or send it with --push

Source (all commands):
  --from-file PATH        Manifest file or directory instead of a live cluster (repeatable)
  --kubeconfig FILE       Kubeconfig (default: $KUBECONFIG, ~/.kube/config, else in-cluster)
  --context NAME          Kubeconfig context
  --cluster-name NAME     Name shown in Bulwark (default: the kubeconfig cluster name)
  --include-secrets       Also list Secrets, as metadata only (names, labels; never values)
  --page-size N           Objects per list request (default 500)

Sending (push, run):
  --server URL            Bulwark server, or env BULWARK_SERVER
  --token-file FILE       File holding the agent token, or env BULWARK_AGENT_TOKEN_FILE (how the pod gets it)
  --token TOKEN           Agent token, or env BULWARK_AGENT_TOKEN; flags show in ps, prefer the file or env
  --interval DURATION     run only: time between snapshots (default 15m)
  --spool-dir DIR         Where undelivered snapshots wait (default .agent-spool)
  --spool-max-files N     Oldest snapshots are dropped beyond this many (default ${DEFAULT_SPOOL_MAX_FILES})
  --spool-max-mib N       ... or beyond this many MiB in all (default ${DEFAULT_SPOOL_MAX_BYTES / 1024 / 1024})
  --max-attempts N        Attempts per snapshot before it waits for the next round (default 6)
  --timeout DURATION      Per request (default 30s)
  --allow-http            Allow a plain-http server that is not on localhost
  --no-unchanged-notice   Always send the whole snapshot, even when the cluster did not change

Node (node):
  --host-root DIR         Where the host's filesystem is mounted (default /); host paths are read below it
  --proc-root DIR         The host's /proc (default /proc; the DaemonSet runs with hostPID to see the kubelet)
  --node-name NAME        Node name (default: env NODE_NAME, the kubelet's --hostname-override, /etc/hostname)
  --push                  Send the report to the server (--server, --token-file, --timeout, --allow-http apply)
  --interval DURATION     With --push: collect and send every DURATION until SIGTERM

Output:
  --out FILE              snapshot, node: write to FILE instead of stdout (--output is the same)
  --log-level LEVEL       debug | info | warn | error (default info); logs are JSON lines on stderr

Exit codes: 0 done, 1 failed (server refused or unavailable, cluster unreadable), 2 bad usage or input.
`;

const OPTIONS = {
  'from-file': { type: 'string', multiple: true },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'cluster-name': { type: 'string' },
  'include-secrets': { type: 'boolean' },
  'page-size': { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string' },
  interval: { type: 'string' },
  'spool-dir': { type: 'string' },
  'spool-max-files': { type: 'string' },
  'spool-max-mib': { type: 'string' },
  'max-attempts': { type: 'string' },
  timeout: { type: 'string' },
  'allow-http': { type: 'boolean' },
  'no-unchanged-notice': { type: 'boolean' },
  out: { type: 'string' },
  output: { type: 'string' },
  'host-root': { type: 'string' },
  'proc-root': { type: 'string' },
  'node-name': { type: 'string' },
  push: { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
type OptionName = keyof typeof OPTIONS;

const SOURCE: OptionName[] = ['from-file', 'kubeconfig', 'context', 'cluster-name', 'include-secrets', 'page-size', 'log-level', 'help'];
const SENDING: OptionName[] = ['server', 'token', 'token-file', 'spool-dir', 'spool-max-files', 'spool-max-mib', 'max-attempts', 'timeout', 'allow-http', 'no-unchanged-notice'];
const COMMANDS = {
  snapshot: [...SOURCE, 'out'],
  push: [...SOURCE, ...SENDING],
  run: [...SOURCE, ...SENDING, 'interval'],
  node: ['host-root', 'proc-root', 'node-name', 'out', 'output', 'push', 'interval', 'server', 'token', 'token-file', 'max-attempts', 'timeout', 'allow-http', 'log-level', 'help'],
} satisfies Record<string, OptionName[]>;
type Command = keyof typeof COMMANDS;

export type CliIo = {
  stdout: (text: string) => Promise<void>;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Aborts `run` (SIGTERM/SIGINT in the real process). */
  signal?: AbortSignal;
};

type Values = ReturnType<typeof parse>['values'];
const parse = (args: string[]) => parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function readTokenFile(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read the token file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!token) throw new UsageError(`the token file ${file} is empty`);
  return token;
}

function pushConfigFrom(values: Values, env: CliIo['env'], log: Logger): PushConfig {
  const server = values.server ?? env.BULWARK_SERVER;
  if (!server) throw new UsageError('missing server: pass --server URL or set BULWARK_SERVER');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new UsageError(`--server must be a URL like https://bulwark.example.com, got "${server}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--server must use https, got ${url.protocol}`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !values['allow-http']) {
    throw new UsageError('--server uses plain http, which would send the token unencrypted; use https (or --allow-http inside a trusted network)');
  }
  const token = values.token ?? readTokenFile(values['token-file']) ?? env.BULWARK_AGENT_TOKEN ?? readTokenFile(env.BULWARK_AGENT_TOKEN_FILE);
  if (!token) throw new UsageError('missing token: set BULWARK_AGENT_TOKEN or BULWARK_AGENT_TOKEN_FILE (or pass --token-file)');
  if (values.token) log.warn('--token is visible in the process list; prefer --token-file or the BULWARK_AGENT_TOKEN environment variable');
  return {
    server: url.toString(),
    token,
    log,
    timeoutMs: values.timeout ? parseDuration(values.timeout, '--timeout') : undefined,
    maxAttempts: values['max-attempts'] ? parsePositiveInt(values['max-attempts'], '--max-attempts') : undefined,
    unchangedNotice: !values['no-unchanged-notice'],
  };
}

async function openSpool(values: Values, log: Logger): Promise<Spool> {
  const maxFiles = values['spool-max-files'] ? parsePositiveInt(values['spool-max-files'], '--spool-max-files') : DEFAULT_SPOOL_MAX_FILES;
  const maxBytes = values['spool-max-mib'] ? parsePositiveInt(values['spool-max-mib'], '--spool-max-mib') * 1024 * 1024 : DEFAULT_SPOOL_MAX_BYTES;
  const spool = new Spool(values['spool-dir'] ?? '.agent-spool', { maxFiles, maxBytes, log });
  await spool.init();
  return spool;
}

async function executeNode(values: Values, io: CliIo, log: Logger): Promise<number> {
  if (values.out && values.output) throw new UsageError('--out and --output are the same option; give one');
  if (values.interval && !values.push) throw new UsageError('--interval needs --push');
  if ((values.out || values.output) && values.push) throw new UsageError('--out writes the report, --push sends it; give one');
  const push = values.push ? pushConfigFrom(values, io.env, log) : undefined;
  return runNodeCommand({
    collect: { hostRoot: values['host-root'] ?? '/', procRoot: values['proc-root'] ?? '/proc', nodeName: values['node-name'], env: io.env },
    out: values.out ?? values.output,
    push,
    intervalMs: values.interval ? parseDuration(values.interval, '--interval') : undefined,
    stdout: io.stdout,
    stderr: io.stderr,
    log,
    signal: io.signal,
  });
}

async function execute(command: Command, values: Values, io: CliIo, log: Logger): Promise<number> {
  if (command === 'node') return executeNode(values, io, log);
  // Every flag is checked before the agent touches a cluster, a file or the network.
  const push = command === 'snapshot' ? undefined : pushConfigFrom(values, io.env, log);
  const intervalMs = command === 'run' ? parseDuration(values.interval ?? '15m', '--interval') : 0;
  const makeSnapshot = createSnapshotMaker({
    fromFiles: values['from-file'],
    kubeconfig: values.kubeconfig,
    context: values.context,
    clusterName: values['cluster-name'],
    includeSecrets: values['include-secrets'] ?? false,
    pageSize: values['page-size'] ? parsePositiveInt(values['page-size'], '--page-size') : undefined,
    env: io.env,
    log,
  });

  if (!push) {
    const { snapshot } = await makeSnapshot();
    const { json, idempotencyKey } = encodeSnapshot(snapshot);
    if (values.out) await writeFile(values.out, json, { mode: 0o600 });
    else await io.stdout(`${json}\n`);
    log.info('snapshot written', { to: values.out ?? 'stdout', idempotencyKey });
    return 0;
  }

  const spool = await openSpool(values, log);
  if (command === 'run') {
    await runAgent({ intervalMs, makeSnapshot, spool, push, log, signal: io.signal ?? new AbortController().signal });
    return 0;
  }

  let result;
  try {
    result = await deliverSnapshot((await makeSnapshot()).snapshot, spool, push);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ManifestError) throw error;
    log.error('no snapshot made', { message: (error as Error).message });
    await drainSpool(spool, push);
    return 1;
  }
  const mine = result.delivered.find((delivery) => delivery.idempotencyKey === result.idempotencyKey);
  if (mine) {
    await io.stdout(`${typeof mine.body === 'string' ? mine.body : JSON.stringify(mine.body)}\n`);
    return 0;
  }
  const refusal = result.rejected.find((rejection) => rejection.idempotencyKey === result.idempotencyKey) ?? result.rejected[0];
  if (refusal) io.stderr(`error: the server refused the snapshot (HTTP ${refusal.status}): ${refusal.message}\n`);
  else io.stderr(`error: the server is unavailable; ${result.remaining} snapshot(s) wait in ${spool.directory} for the next push or run\n`);
  return 1;
}

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let log: Logger = createLogger({ write: io.stderr });
  try {
    let parsed;
    try {
      parsed = parse(argv);
    } catch (error) {
      throw new UsageError((error as Error).message.split('. ')[0] ?? 'bad arguments');
    }
    const { values, positionals } = parsed;
    const [command, ...extra] = positionals;
    if (values.help || command === 'help' || command === undefined) {
      await io.stdout(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (!(command in COMMANDS)) throw new UsageError(`unknown command "${command}" (use snapshot, push, run or node)`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const allowed: readonly string[] = COMMANDS[command as Command];
    const misplaced = Object.keys(values).find((name) => !allowed.includes(name));
    if (misplaced) throw new UsageError(`--${misplaced} is not an option of ${command}`);
    const level = values['log-level'] ?? 'info';
    if (!isLogLevel(level)) throw new UsageError(`--log-level must be debug, info, warn or error, got "${level}"`);
    log = createLogger({ level, write: io.stderr });
    return await execute(command as Command, values, io, log);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ManifestError) {
      io.stderr(`error: ${error.message} (see --help)\n`);
      return 2;
    }
    log.error('failed', { message: (error as Error).message });
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
  const stdout = (text: string) => new Promise<void>((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
  const code = await main(process.argv.slice(2), { stdout, stderr: (text) => void process.stderr.write(text), env: process.env, signal: controller.signal });
  process.exitCode = code;
}
