import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/node-reports/route';
import type { NodeReport } from '@/lib/analysis/snapshot/node-report';
import { disconnectDb } from '@/lib/platform/db/client';
import { dbFor, systemDb } from '@/lib/platform/db/tenant';
import { closeProducers } from '@/lib/platform/queue/producers';
import { createClusterWithToken, createOrg } from '@/lib/testing/factories';
import { main } from '../src/cli';
import { materializeNodeFixture } from './node-fixture-roots';

/**
 * `npm run agent -- node --push` against the real node report intake (the route handler behind a real HTTP server,
 * real Postgres and Redis): the collector's report of the hardened fixture is accepted and stored as sent.
 */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const request = new Request(`http://127.0.0.1${req.url ?? '/'}`, { method: req.method, headers, body: new Uint8Array(Buffer.concat(chunks)) });
      const handle = req.url === '/api/v1/node-reports' ? POST(request) : Promise.resolve(new Response('not found', { status: 404 }));
      void handle.then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeProducers();
  await disconnectDb();
});

describe('agent node --push against the real intake', () => {
  it('stores the node report under the token\'s cluster; a second push of the same node is "unchanged"', async () => {
    const org = await createOrg('Node push');
    const { cluster, token } = await createClusterWithToken(org, 'prod');
    const node = await materializeNodeFixture('hardened-control-plane');
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: async (text: string) => void out.push(text), stderr: (text: string) => void err.push(text), env: { BULWARK_SERVER: url, BULWARK_AGENT_TOKEN: token } };
      const args = ['node', '--host-root', node.hostRoot, '--proc-root', node.procRoot, '--push', '--max-attempts', '1', '--log-level', 'error'];
      expect(await main(args, io), err.join('')).toBe(0);
      expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ nodeName: 'cp-hardened-1', status: 'stored' });
      const row = await dbFor({ organizationId: org.id }).nodeReport.findFirstOrThrow({ where: { clusterId: cluster.id } });
      const report = row.report as NodeReport;
      expect(report.encryptionConfig?.resources[0]?.providers.map((p) => p.name)).toEqual(['aescbc', 'identity']);
      expect(JSON.stringify(report)).not.toMatch(/PLANTED|UExBTlRFRC/);

      expect(await main(args, io)).toBe(0);
      expect(JSON.parse(out[1] ?? '{}')).toMatchObject({ status: 'unchanged' });
      expect(await systemDb().nodeReport.count({ where: { organizationId: org.id } })).toBe(1);

      // A revoked or unknown token: refused, exit code 1, nothing stored.
      const bad = { ...io, env: { BULWARK_SERVER: url, BULWARK_AGENT_TOKEN: 'bwa_unknown-token-for-this-test' } };
      expect(await main(args, bad)).toBe(1);
      expect(err.join('')).toMatch(/refused the node report \(HTTP 401\)/);
    } finally {
      await node.cleanup();
    }
  });
});
