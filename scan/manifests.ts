import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isManifestFile, ManifestError, parseManifest } from '@/lib/analysis/snapshot/manifests';

async function listManifestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue; // .git, editor swap folders
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listManifestFiles(full)));
    else if (entry.isFile() && isManifestFile(entry.name)) files.push(full);
  }
  return files;
}

/**
 * Reads Kubernetes manifests from files and directories (recursively: .yaml, .yml, .json), in a stable
 * order, for the scan CLI. Parsing is lib/analysis/snapshot/manifests.ts; the agent's --offline mode reads files
 * the same way (agent/src/offline.ts): the two entries share only the pure parser. Throws ManifestError on the
 * first bad file.
 */
export async function readManifestPaths(paths: string[]): Promise<unknown[]> {
  const objects: unknown[] = [];
  for (const given of paths) {
    let files: string[];
    try {
      files = (await stat(given)).isDirectory() ? await listManifestFiles(given) : [given];
    } catch (error) {
      if (error instanceof ManifestError) throw error;
      throw new ManifestError(given, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message);
    }
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new ManifestError(file, (error as Error).message);
      }
      objects.push(...parseManifest(file, text));
    }
  }
  return objects;
}
