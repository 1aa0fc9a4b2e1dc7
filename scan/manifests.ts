import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readManifestPathsWith, type ManifestFileSystem } from '@/lib/analysis/snapshot/manifests';

const nodeFileSystem: ManifestFileSystem = {
  isDirectory: async (given) => (await stat(given)).isDirectory(),
  list: async (directory) => (await readdir(directory, { withFileTypes: true })).map((entry) => ({ name: entry.name, directory: entry.isDirectory(), file: entry.isFile() })),
  readText: (file) => readFile(file, 'utf8'),
  join: path.join,
};

/** The scan CLI's manifest reader: the shared walk and parse (lib/analysis/snapshot/manifests.ts) on the local disk. */
export const readManifestPaths = (paths: readonly string[]): Promise<unknown[]> => readManifestPathsWith(nodeFileSystem, paths);
