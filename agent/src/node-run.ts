import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { MAX_NODE_REPORT_COMPRESSED_BYTES, type NodeReport } from '@/lib/analysis/snapshot/node-report';
import type { Logger } from './log';
import { collectNodeReport, type NodeCollectOptions } from './node-collect';
import { sendNodeReport, withRetry, type PushConfig, type PushOutcome } from './push';

export type NodeCommand = {
  collect: NodeCollectOptions;
  /** Write the report here (mode 0600) instead of stdout; ignored when pushing. */
  out?: string;
  push?: PushConfig;
  /** With push: collect and push every interval until the signal aborts (the DaemonSet's mode). */
  intervalMs?: number;
  stdout: (text: string) => Promise<void>;
  stderr: (text: string) => void;
  log: Logger;
  signal?: AbortSignal;
};

/** The bytes sent (gzipped JSON) and their idempotency key: the same report pushed twice is stored once. */
export function encodeNodeReport(report: NodeReport): { json: string; body: Buffer; idempotencyKey: string } {
  const json = JSON.stringify(report);
  const body = gzipSync(json);
  if (body.byteLength > MAX_NODE_REPORT_COMPRESSED_BYTES) {
    throw new Error(`the node report is ${body.byteLength} bytes compressed; the server accepts at most ${MAX_NODE_REPORT_COMPRESSED_BYTES}`);
  }
  return { json, body, idempotencyKey: `node-${createHash('sha256').update(json).digest('hex').slice(0, 40)}` };
}

async function pushOnce(command: NodeCommand, push: PushConfig): Promise<PushOutcome> {
  const report = await collectNodeReport(command.collect);
  const { body, idempotencyKey } = encodeNodeReport(report);
  const outcome = await withRetry(() => sendNodeReport(body, idempotencyKey, push), idempotencyKey, push);
  command.log.info('node report pushed', { node: report.node.name, outcome: outcome.kind });
  return outcome;
}

/** `agent node`: one report to stdout or a file, one push, or (with an interval) a push per interval. Returns the exit code. */
export async function runNodeCommand(command: NodeCommand): Promise<number> {
  const { push } = command;
  if (!push) {
    const json = JSON.stringify(await collectNodeReport(command.collect), null, 2);
    if (command.out) await writeFile(command.out, `${json}\n`, { mode: 0o600 });
    else await command.stdout(`${json}\n`);
    return 0;
  }
  if (command.intervalMs) {
    while (!command.signal?.aborted) {
      try {
        const outcome = await pushOnce(command, { ...push, signal: command.signal });
        if (outcome.kind === 'rejected') command.log.error('the server refused the node report', { status: outcome.status, message: outcome.message });
      } catch (error) {
        command.log.error('no node report made', { message: (error as Error).message });
      }
      await delay(command.intervalMs, undefined, { signal: command.signal }).catch(() => undefined);
    }
    return 0;
  }
  const outcome = await pushOnce(command, push);
  if (outcome.kind === 'delivered') {
    await command.stdout(`${typeof outcome.body === 'string' ? outcome.body : JSON.stringify(outcome.body)}\n`);
    return 0;
  }
  if (outcome.kind === 'rejected') command.stderr(`error: the server refused the node report (HTTP ${outcome.status}): ${outcome.message}\n`);
  else if (outcome.kind === 'unavailable') command.stderr(`error: the server is unavailable (${outcome.reason}, ${outcome.attempts} attempts)\n`);
  return 1;
}
