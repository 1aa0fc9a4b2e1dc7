import { parseAllDocuments } from 'yaml';

/*
 * Manifest text -> Kubernetes objects, for the offline scan and the agent's offline mode. Pure: the callers read
 * the files (scan/manifests.ts, agent/src/offline.ts) and hand each file's name and text here.
 */

/** A manifest file that can't be read or parsed. The message names the file (and the line, for YAML). */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Whether a file name is one the readers take (.yaml, .yml, .json, any case). */
export function isManifestFile(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * The objects in one manifest file: a .json file holds one object, an array, or `kubectl get -o json` List output
 * (flattened later by buildSnapshot); anything else is YAML, possibly several documents. Throws ManifestError
 * naming `file` (and the line, for YAML).
 */
export function parseManifest(file: string, text: string): unknown[] {
  return file.toLowerCase().endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
}

function parseJson(file: string, text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [value];
  } catch (error) {
    throw new ManifestError(file, `invalid JSON: ${(error as Error).message}`);
  }
}

function parseYaml(file: string, text: string): unknown[] {
  const documents: unknown[] = [];
  // YAML 1.1, as Kubernetes itself parses manifests (go-yaml): `defaultMode: 0644` is octal, `yes` is true.
  parseAllDocuments(text, { version: '1.1' }).forEach((document, index) => {
    const [problem] = document.errors;
    if (problem) {
      const where = problem.linePos ? `line ${problem.linePos[0].line}, column ${problem.linePos[0].col}` : `document ${index + 1}`;
      throw new ManifestError(file, `invalid YAML at ${where}: ${problem.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    let value: unknown;
    try {
      value = document.toJS(); // maxAliasCount (default 100) stops "billion laughs" alias bombs
    } catch (error) {
      throw new ManifestError(file, `invalid YAML in document ${index + 1}: ${(error as Error).message}`);
    }
    if (value === null || value === undefined) return; // an empty document, e.g. after a trailing ---
    if (typeof value !== 'object') throw new ManifestError(file, `document ${index + 1} is a ${typeof value}, not a Kubernetes object`);
    documents.push(value);
  });
  return documents;
}

/** The few file-system calls the manifest walk needs, given by the caller (pure here: no `fs` import). */
export type ManifestFileSystem = {
  isDirectory(path: string): Promise<boolean>;
  /** A directory's entries: names and whether each is a directory or a regular file. */
  list(directory: string): Promise<{ name: string; directory: boolean; file: boolean }[]>;
  readText(path: string): Promise<string>;
  join(directory: string, name: string): string;
};

async function listManifestFiles(fs: ManifestFileSystem, directory: string): Promise<string[]> {
  const entries = await fs.list(directory);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue; // .git, editor swap folders
    const full = fs.join(directory, entry.name);
    if (entry.directory) files.push(...(await listManifestFiles(fs, full)));
    else if (entry.file && isManifestFile(entry.name)) files.push(full);
  }
  return files;
}

/**
 * Reads Kubernetes manifests from files and directories (recursively: .yaml, .yml, .json), in a stable order,
 * through the caller's file system: the scan CLI and the agent's `--offline` mode share this walk and parse.
 * Throws ManifestError on the first bad or missing file.
 */
export async function readManifestPathsWith(fs: ManifestFileSystem, paths: readonly string[]): Promise<unknown[]> {
  const objects: unknown[] = [];
  for (const given of paths) {
    let files: string[];
    try {
      files = (await fs.isDirectory(given)) ? await listManifestFiles(fs, given) : [given];
    } catch (error) {
      if (error instanceof ManifestError) throw error;
      throw new ManifestError(given, (error as { code?: string }).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message);
    }
    for (const file of files) {
      let text: string;
      try {
        text = await fs.readText(file);
      } catch (error) {
        throw new ManifestError(file, (error as Error).message);
      }
      objects.push(...parseManifest(file, text));
    }
  }
  return objects;
}
