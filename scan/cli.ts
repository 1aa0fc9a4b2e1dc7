import { parseArgs } from 'node:util';
import { ManifestError } from '@/lib/analysis/snapshot/manifests';
import { findControl } from '@/lib/analysis/controls/catalog';
import { FRAMEWORK_ALIASES, type FrameworkId } from '@/lib/analysis/frameworks';
import { formatJson, formatTable } from './format';
import { scanManifests, ScanInputError } from './scan';

const USAGE = `usage: npm run --silent scan -- [--format table|json] [--framework cis|iso27001|nsa]... [--control ID]...
                                 [--include-platform] [--allowed-registry REGISTRY]... FILE|DIR...`;

/** Bad command-line input: printed with the usage, exit code 2. */
class UsageError extends Error {}

type CliOptions = {
  format: 'table' | 'json';
  paths: string[];
  frameworks: FrameworkId[] | undefined;
  controlIds: string[] | undefined;
  includePlatform: boolean;
  allowedRegistries: string[] | undefined;
};

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', default: 'table' },
        framework: { type: 'string', multiple: true },
        control: { type: 'string', multiple: true },
        'include-platform': { type: 'boolean', default: false },
        'allowed-registry': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`unknown format "${values.format}" (use table or json)`);
  if (positionals.length === 0) throw new UsageError('no FILE or DIR given');
  const frameworks = values.framework?.map((name) => {
    const id = FRAMEWORK_ALIASES[name];
    if (!id) throw new UsageError(`unknown framework "${name}" (use cis, iso27001 or nsa)`);
    return id;
  });
  const unknown = (values.control ?? []).filter((id) => !findControl(id));
  if (unknown.length > 0) throw new UsageError(`unknown control ${unknown.map((id) => `"${id}"`).join(', ')}`);
  return {
    format: values.format,
    paths: positionals,
    frameworks,
    controlIds: values.control,
    includePlatform: values['include-platform'],
    allowedRegistries: values['allowed-registry'],
  };
}

/** Runs the CLI and returns its exit code: 0 when the scan ran (with or without findings), 2 on bad input. */
export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    const report = await scanManifests({ ...options, now: new Date() });
    out.write(options.format === 'json' ? formatJson(report) : formatTable(report));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`${error.message ? `bulwark scan: ${error.message}\n` : ''}${USAGE}\n`);
      return 2;
    }
    if (error instanceof ManifestError || error instanceof ScanInputError) {
      err.write(`bulwark scan: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

const isEntryPoint = process.argv[1] !== undefined && /[\\/]scan[\\/]cli\.ts$/.test(process.argv[1]);
if (isEntryPoint) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bulwark scan: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
