import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A real HTTP server on 127.0.0.1 standing in for Bulwark's snapshot intake, with a scripted answer per request. */

export type ReceivedSnapshot = { headers: IncomingHttpHeaders; body: unknown; idempotencyKey: string; answeredWith: number };
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
export type Responder = (request: { idempotencyKey: string; body: unknown; index: number }) => Answer;

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
      const answer = respond({ idempotencyKey, body, index: received.length });
      received.push({ headers: req.headers, body, idempotencyKey, answeredWith: answer.status });
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
