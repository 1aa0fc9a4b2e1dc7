import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The import-boundary lint is the house's only guard, so it is tested like code: each probe is a file that does
 * not exist, linted as if it stood at that path, importing a real module. The rule checks resolved files, so the
 * probes use both spellings (alias and relative).
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function boundaryErrors(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'import-x/no-restricted-paths' || message.ruleId === 'no-restricted-syntax' || message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the import-boundary lint', () => {
  it('refuses an arrow running back up between service rooms, in either spelling', async () => {
    expect(await boundaryErrors('lib/services/audit/probe.ts', "import { lockFindings } from '@/lib/services/findings/workflow';\nexport const x = lockFindings;\n"))
      .toEqual([expect.stringContaining('audit sits below findings')]);
    expect(await boundaryErrors('lib/services/audit/probe.ts', "import { lockFindings } from '../findings/workflow';\nexport const x = lockFindings;\n"))
      .toEqual([expect.stringContaining('audit sits below findings')]);
  });

  it('lets a room import the rooms below it, and any room append events through events/emit only', async () => {
    expect(await boundaryErrors('lib/services/findings/probe.ts', "import { writeAudit } from '../audit/write-audit';\nimport { emitDomainEvents } from '../events/emit';\nexport const x = [writeAudit, emitDomainEvents];\n")).toEqual([]);
    expect(await boundaryErrors('lib/services/findings/probe.ts', "import { dispatchDomainEvents } from '../events/dispatch';\nexport const x = dispatchDomainEvents;\n"))
      .toEqual([expect.stringContaining('events/emit only')]);
  });

  it('keeps platform below services, the analysis pure, lib/web for app/ only, and entries apart', async () => {
    expect(await boundaryErrors('lib/platform/auth/probe.ts', "import { writeAudit } from '../../services/audit/write-audit';\nexport const x = writeAudit;\n")).toHaveLength(1);
    expect(await boundaryErrors('lib/analysis/controls/probe.ts', "import { env } from '@/lib/platform/env';\nexport const x = env;\n")).toHaveLength(1);
    expect(await boundaryErrors('lib/analysis/controls/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await boundaryErrors('lib/services/findings/probe.ts', "import { orgAction } from '@/lib/web/action';\nexport const x = orgAction;\n")).toHaveLength(1);
    expect(await boundaryErrors('scan/probe.ts', "import { readManifestPaths } from '@/agent/src/offline';\nexport const x = readManifestPaths;\n")).toHaveLength(1);
    expect(await boundaryErrors('lib/testing/probe.ts', "import { migrate } from '../../scripts/migrate';\nexport const x = migrate;\n")).toHaveLength(1);
  });

  it('sends the engine through its door and raw SQL to lib/platform/db', async () => {
    expect(await boundaryErrors('lib/services/pipeline/probe.ts', "import { evaluate } from '@/lib/analysis/engine/evaluate';\nexport const x = evaluate;\n")).toHaveLength(1);
    expect(await boundaryErrors('lib/services/pipeline/probe.ts', "import { evaluate } from '@/lib/analysis/engine';\nexport const x = evaluate;\n")).toEqual([]);
    expect(await boundaryErrors('lib/services/tickets/probe.ts', 'export const run = (db: { $executeRaw: (s: TemplateStringsArray) => Promise<number> }) => db.$executeRaw`SELECT 1`;\n'))
      .toEqual([expect.stringContaining('Raw SQL lives in lib/platform/db')]);
  });
});
