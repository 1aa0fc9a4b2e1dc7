import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { snapshotBodyDigest } from '@/lib/analysis/snapshot/build';
import { UNCHANGED_NOTICE_CONTENT_TYPE, UnchangedNoticeSchema } from '@/lib/analysis/snapshot/unchanged-notice';

/** A real HTTP server on 127.0.0.1 standing in for Bulwark's snapshot intake, with a scripted answer per request. */

/** `raw` is the request body as it came over the wire (still gzipped for a snapshot); `body` is its parsed JSON. */
export type ReceivedSnapshot = { headers: IncomingHttpHeaders; raw: Buffer; body: unknown; idempotencyKey: string; answeredWith: number };
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
export type Responder = (request: { idempotencyKey: string; body: unknown; index: number; headers: IncomingHttpHeaders }) => Answer;

export type FakeBulwark = { url: string; port: number; received: ReceivedSnapshot[]; close(): Promise<void> };

/** Accepts every snapshot: 202 the first time a key is seen, 200 for a duplicate (what the real intake does). */
export const acceptAll = (): Responder => {
  const seen = new Set<string>();
  return ({ idempotencyKey }) => {
    const duplicate = seen.has(idempotencyKey);
    seen.add(idempotencyKey);
    return { status: duplicate ? 200 : 202, body: { snapshotId: `snap-${idempotencyKey.slice(0, 8)}`, status: duplicate ? 'duplicate' : 'queued' } };
  };
};

export const isNotice = (headers: IncomingHttpHeaders): boolean => headers['content-type'] === UNCHANGED_NOTICE_CONTENT_TYPE;

export type FakeIntake = {
  respond: Responder;
  /** What the server holds, by snapshot id: delete one to play a base pruned by retention. */
  stored: Map<string, { digest: string; collectedAt: string }>;
};

/**
 * The real intake's rules for full snapshots and unchanged notices (lib/services/ingest): UUID snapshot ids, 202 then 200 for
 * a repeated Idempotency-Key, and a 409 for a notice whose base is unknown, of another digest or not older.
 */
export function fakeIntake(): FakeIntake {
  const stored = new Map<string, { digest: string; collectedAt: string }>();
  const byKey = new Map<string, string>();
  const conflict = (message: string): Answer => ({ status: 409, body: { error: { code: 'conflict', message: `${message}; send the full snapshot` } } });
  const respond: Responder = ({ idempotencyKey, body, headers }) => {
    const known = byKey.get(idempotencyKey);
    if (known) return { status: 200, body: { snapshotId: known, status: 'queued', duplicate: true } };
    let entry: { digest: string; collectedAt: string };
    if (isNotice(headers)) {
      const parsed = UnchangedNoticeSchema.safeParse(body);
      if (!parsed.success) return { status: 400, body: { error: { code: 'invalid', message: 'Unchanged notice does not match schema version 1' } } };
      const notice = parsed.data;
      const base = stored.get(notice.baseSnapshotId);
      if (!base) return conflict(`Snapshot ${notice.baseSnapshotId} is not a snapshot of this cluster`);
      if (base.digest !== notice.contentDigest) return conflict(`The content digest differs from snapshot ${notice.baseSnapshotId}'s`);
      if (Date.parse(notice.collectedAt) <= Date.parse(base.collectedAt)) return conflict(`collectedAt ${notice.collectedAt} is not later than the base's`);
      entry = { digest: base.digest, collectedAt: notice.collectedAt };
    } else {
      entry = { digest: snapshotBodyDigest(body), collectedAt: String((body as { collectedAt?: unknown }).collectedAt) };
    }
    const snapshotId = randomUUID();
    stored.set(snapshotId, entry);
    byKey.set(idempotencyKey, snapshotId);
    return { status: 202, body: { snapshotId, status: 'queued', duplicate: false } };
  };
  return { respond, stored };
}

export async function startFakeBulwark(respond: Responder, port = 0): Promise<FakeBulwark> {
  const received: ReceivedSnapshot[] = [];
  let server: Server | undefined;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const body: unknown = JSON.parse(text);
      const idempotencyKey = String(req.headers['idempotency-key'] ?? '');
      const answer = respond({ idempotencyKey, body, index: received.length, headers: req.headers });
      received.push({ headers: req.headers, raw, body, idempotencyKey, answeredWith: answer.status });
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server?.closeAllConnections();
        server?.close((error) => (error ? reject(error) : resolve()));
        server = undefined;
      }),
  };
}

/** A loopback port nobody listens on (yet): connecting to it is refused. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
