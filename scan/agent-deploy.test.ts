import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './spawn-cli';
import type { ScanReport } from './scan';

const DEPLOY = path.join('agent', 'deploy');
const ROOT = path.resolve(import.meta.dirname, '..');

/** The files `kubectl apply -k agent/deploy` applies: the kustomization's resources. */
function kustomizeResources(dir: string): string[] {
  const kustomization = parse(readFileSync(path.join(ROOT, dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
  return (kustomization.resources ?? []).map((file) => path.join(dir, file));
}

describe('the agent\'s own manifests', () => {
  it('come out of a Bulwark scan with no findings', async () => {
    const { code, stdout, stderr } = await runCli(['--format', 'json', ...kustomizeResources(DEPLOY)]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.summary.parseErrors).toEqual([]);
    expect(report.findings.map((f) => `${f.controlId} ${f.resource.kind} ${f.resource.name}: ${f.message}`)).toEqual([]);
  }, 30_000);
});
