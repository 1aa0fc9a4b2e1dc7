import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** Scratch output (gitignored): child results, plans, profiles. */
export const OUT_DIR = path.join(ROOT, 'bench/out');
