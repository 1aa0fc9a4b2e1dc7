import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

// Tests only: a real HTTP receiver on 127.0.0.1 that records what it gets and answers as told.

export type Received = { headers: IncomingHttpHeaders; body: string };
/** What to do with the n-th request (from 0): answer with a status (and headers), or never answer. */
export type Behaviour = (index: number) => number | { status: number; headers: Record<string, string> } | 'hang';

/** Starts the receiver; with `tls` (a key and certificate for 127.0.0.1) it speaks https. */
export async function startReceiver(behaviour: Behaviour = () => 200, options: { tls?: { keyPem: string; certPem: string } } = {}) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = received.length;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = behaviour(index);
      if (answer === 'hang') { hanging.push(response); return; }
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(status < 300 ? 'ok' : 'nope');
    });
  };
  const server = options.tls ? createTlsServer({ key: options.tls.keyPem, cert: options.tls.certPem }, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/hooks/bulwark`,
    received,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
