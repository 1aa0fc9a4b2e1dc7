import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * The node fixtures (agent/test/node-fixtures/<name>/): a fake host root (`host/`, the files whose content matters)
 * and `fixture.json` (each benchmark-named file's mode and owner, placeholder content for keys and kubeconfigs,
 * and the processes as argv lists). Git keeps neither modes nor owners nor NUL-separated cmdlines, so a test
 * materializes a fixture into a temporary directory: host/ with modes (and owners, when running as root) and proc/.
 */
export const NODE_FIXTURES = ['kubeadm-control-plane', 'hardened-control-plane', 'kubeadm-worker', 'eks-worker'] as const;
export type NodeFixtureName = (typeof NODE_FIXTURES)[number];
export const NODE_FIXTURES_DIR = path.join(import.meta.dirname, 'node-fixtures');

const FixtureSchema = z.object({
  description: z.string(),
  files: z.record(z.string(), z.object({ mode: z.string().regex(/^[0-7]{3,4}$/), owner: z.string().regex(/^\d+:\d+$/), content: z.string().optional() })),
  processes: z.record(z.string().regex(/^\d+$/), z.array(z.string()).min(1)),
});

/** Whether owners are applied (chown needs root); tests compare uid/gid/user/group only then. */
export const canChown = (): boolean => process.getuid?.() === 0;

export type MaterializedNode = { dir: string; hostRoot: string; procRoot: string; cleanup: () => Promise<void> };

export async function materializeNodeFixture(name: NodeFixtureName): Promise<MaterializedNode> {
  const source = path.join(NODE_FIXTURES_DIR, name);
  const fixture = FixtureSchema.parse(JSON.parse(await readFile(path.join(source, 'fixture.json'), 'utf8')));
  const dir = await mkdtemp(path.join(os.tmpdir(), `bulwark-node-${name}-`));
  const hostRoot = path.join(dir, 'host');
  const procRoot = path.join(dir, 'proc');
  await cp(path.join(source, 'host'), hostRoot, { recursive: true });
  const entries = Object.entries(fixture.files);
  for (const [hostPath, file] of entries) {
    const full = path.join(hostRoot, hostPath);
    if (file.content !== undefined) {
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, file.content);
    } else if (!(await stat(full).then(() => true, () => false))) {
      await mkdir(full, { recursive: true }); // listed without content and not in host/: a directory
    }
  }
  // Deepest first, so a directory's own mode (0700) never stops setting what is inside it.
  for (const [hostPath, file] of entries.sort(([a], [b]) => b.length - a.length)) {
    const full = path.join(hostRoot, hostPath);
    if (canChown()) {
      const [uid, gid] = file.owner.split(':').map(Number);
      await chown(full, uid ?? 0, gid ?? 0);
    }
    await chmod(full, parseInt(file.mode, 8));
  }
  for (const [pid, argv] of Object.entries(fixture.processes)) {
    await mkdir(path.join(procRoot, pid), { recursive: true });
    await writeFile(path.join(procRoot, pid, 'cmdline'), `${argv.join('\0')}\0`);
  }
  return { dir, hostRoot, procRoot, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The report the collector makes of a fixture, as committed (report.json): what tests compare and the demo seeds. */
export function expectedReportPath(name: NodeFixtureName): string {
  return path.join(NODE_FIXTURES_DIR, name, 'report.json');
}
