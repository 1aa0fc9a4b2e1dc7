import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSnapshot } from '@/lib/analysis/snapshot/parse';
import { startFakeApiServer, type FakeApiServer } from '../test/fake-apiserver';
import { acceptAll, fakeIntake, isNotice, startFakeBulwark, type FakeBulwark } from '../test/fake-bulwark';
import { main } from './cli';

const TOKEN = 'bwk_agent_5f3c9a1e7d2b4c6a8e0f';

let dir: string;
let bulwark: FakeBulwark | undefined;
let apiServer: FakeApiServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bulwark-cli-'));
  await writeFile(path.join(dir, 'app.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
});
afterEach(async () => {
  await bulwark?.close();
  await apiServer?.close();
  bulwark = undefined;
  apiServer = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: async (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { HOME: dir, ...env },
  });
  return { code, stdout, stderr };
}

describe('agent CLI', () => {
  it.each([
    [['snapshot', '--bogus'], "Unknown option '--bogus'"],
    [['snapshot', '--interval', '5m'], '--interval is not an option of snapshot'],
    [['deploy'], 'unknown command "deploy"'],
    [['push', '--server', 'https://bulwark.example.com', '--from-file', 'x'], 'missing token: set BULWARK_AGENT_TOKEN or BULWARK_AGENT_TOKEN_FILE'],
    [['push', '--server', 'http://bulwark.example.com', '--from-file', 'x'], 'plain http'],
    [['run', '--server', 'https://b.example.com', '--interval', 'often'], '--interval must be a duration'],
    [['snapshot', '--kubeconfig', '/nonexistent/kubeconfig'], 'kubeconfig /nonexistent/kubeconfig does not exist'],
    [['snapshot', '--log-level', 'loud', '--from-file', 'x'], '--log-level must be debug, info, warn or error'],
    [['snapshot', '--no-unchanged-notice'], '--no-unchanged-notice is not an option of snapshot'],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { code, stderr } = await cli(args, { BULWARK_AGENT_TOKEN: args.includes('run') ? TOKEN : undefined });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 naming a broken kubeconfig and a broken manifest', async () => {
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, 'clusters: [oops');
    expect(await cli(['snapshot', '--kubeconfig', kubeconfig])).toMatchObject({ code: 2, stderr: expect.stringContaining(`kubeconfig ${kubeconfig} cannot be read`) });
    const manifest = path.join(dir, 'bad.yaml');
    await writeFile(manifest, 'kind: [');
    expect(await cli(['snapshot', '--from-file', manifest])).toMatchObject({ code: 2, stderr: expect.stringContaining(`${manifest}: invalid YAML`) });
  });

  it('writes the exact snapshot it would send', async () => {
    const out = path.join(dir, 'snapshot.json');
    const { code } = await cli(['snapshot', '--from-file', dir, '--cluster-name', 'staging', '--out', out]);
    expect(code).toBe(0);
    const result = parseSnapshot(JSON.parse(await readFile(out, 'utf8')));
    expect(result.ok && result.snapshot.cluster).toEqual({ uid: 'offline:staging', name: 'staging', provider: 'offline' });
    expect(result.ok && result.snapshot.objects.namespaces.map((ns) => ns.metadata.name)).toEqual(['shop']);
  });

  it('pushes a live cluster snapshot and prints the server answer, never the token', async () => {
    apiServer = await startFakeApiServer({ lists: { '/api/v1/namespaces': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] } });
    await writeFile(path.join(dir, 'kubeconfig'), apiServer.kubeconfig());
    bulwark = await startFakeBulwark(acceptAll());
    const { code, stdout, stderr } = await cli(['push', '--kubeconfig', path.join(dir, 'kubeconfig'), '--spool-dir', path.join(dir, 'spool'), '--log-level', 'debug'], {
      BULWARK_SERVER: bulwark.url,
      BULWARK_AGENT_TOKEN: TOKEN,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'queued', snapshotId: expect.stringMatching(/^snap-/) });
    expect(bulwark.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain('"objects"');
    for (const line of stderr.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('exits 1 with the server message when the snapshot is refused', async () => {
    bulwark = await startFakeBulwark(() => ({ status: 413, body: { error: { code: 'too_large', message: 'snapshot exceeds 32 MiB' } } }));
    const { code, stderr } = await cli(['push', '--from-file', dir, '--server', bulwark.url, '--spool-dir', path.join(dir, 'spool')], { BULWARK_AGENT_TOKEN: TOKEN });
    expect(code).toBe(1);
    expect(stderr).toContain('the server refused the snapshot (HTTP 413): too_large: snapshot exceeds 32 MiB');
  });

  it('reads the token from a file, as the pod does', async () => {
    bulwark = await startFakeBulwark(acceptAll());
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    const { code } = await cli(['push', '--from-file', dir, '--server', bulwark.url, '--spool-dir', path.join(dir, 'spool')], { BULWARK_AGENT_TOKEN_FILE: tokenFile });
    expect(code).toBe(0);
    expect(bulwark.received[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await cli(['push', '--from-file', dir, '--server', bulwark.url, '--token-file', path.join(dir, 'missing')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read the token file'),
    });
  });

  it('warns that a token passed as a flag shows in the process list', async () => {
    bulwark = await startFakeBulwark(acceptAll());
    const { code, stderr } = await cli(['push', '--from-file', dir, '--server', bulwark.url, '--token', TOKEN, '--spool-dir', path.join(dir, 'spool')]);
    expect(code).toBe(0);
    expect(stderr).toContain('--token is visible in the process list');
    expect(stderr).not.toContain(TOKEN);
  });

  it('sends an unchanged cluster as a notice on the next push, unless --no-unchanged-notice', async () => {
    bulwark = await startFakeBulwark(fakeIntake().respond);
    const push = (...extra: string[]) =>
      cli(['push', '--from-file', dir, '--server', bulwark?.url ?? '', '--spool-dir', path.join(dir, 'spool'), ...extra], { BULWARK_AGENT_TOKEN: TOKEN });
    // Each push is a new collection (a later collectedAt) of the same manifests.
    for (const extra of [[], [], ['--no-unchanged-notice'], []]) {
      const { code, stdout } = await push(...extra);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'queued', snapshotId: expect.any(String) });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(bulwark.received.map((request) => (isNotice(request.headers) ? 'notice' : 'full'))).toEqual(['full', 'notice', 'full', 'notice']);
  });
});
