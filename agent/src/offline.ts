import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

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

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function listManifestFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue; // .git, editor swap folders
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listManifestFiles(full)));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
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

/**
 * Reads Kubernetes manifests from files and directories (recursively: .yaml, .yml, .json), in a stable
 * order. YAML files may hold several documents; JSON may be one object, an array, or `kubectl get -o json`
 * List output (flattened later by buildSnapshot). Throws ManifestError on the first bad file.
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
      objects.push(...(path.extname(file).toLowerCase() === '.json' ? parseJson(file, text) : parseYaml(file, text)));
    }
  }
  return objects;
}
