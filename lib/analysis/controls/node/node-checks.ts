import type { NodeComponentName, NodeFile } from '@/lib/analysis/snapshot/node-report';
import type { NodeView } from '@/lib/analysis/model/node';

/**
 * What one CIS sections 1-4 audit checks, as lib/analysis/frameworks/data/cis-k8s-node-checks.json stores it
 * (derived from kube-bench's configuration by scripts/derive-cis-node-data.py). The semantics follow kube-bench's
 * test items, reimplemented here over the node report instead of `ps` and `stat` output:
 * - a flag test without `compare` asks that the flag be set (`set: false`: that it be absent);
 * - with `compare`, an absent flag fails; `has`/`nothave` look for a substring, as kube-bench does;
 * - a flag on the command line wins over the config file's field (the kubelet and kube-proxy apply it so);
 * - `op` joins the tests (`or` lets "absent" stand for the component's safe default).
 */
export type CompareOp = 'eq' | 'noteq' | 'has' | 'nothave' | 'gte' | 'gt' | 'lte' | 'lt' | 'valid_elements' | 'regex' | 'bitmask';
export type FlagTest = {
  flag?: string;
  featureGate?: string;
  configPath?: string;
  set: boolean;
  compare?: { op: CompareOp; value: string };
};
export type FlagsSpec = { kind: 'flags'; component: NodeComponentName; op: 'and' | 'or'; tests: FlagTest[] };
export type FileSpec = { kind: 'file'; roles: string[]; property: 'mode'; maxMode: string } | { kind: 'file'; roles: string[]; property: 'owner'; owner: string };
export type EncryptionSpec = { kind: 'encryption-providers'; allowed: string[] };
export type CheckSpec = FlagsSpec | FileSpec | EncryptionSpec;

/** One observed setting: where it was read and what it held (null: not set). Flags are already redacted by the collector. */
export type Observation = { path: string; value: string | null; source: string };

const COMPONENT_LABELS: Record<NodeComponentName, string> = {
  apiserver: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  etcd: 'etcd',
  kubelet: 'kubelet',
  proxy: 'kube-proxy',
};

export function componentLabel(name: NodeComponentName): string {
  return COMPONENT_LABELS[name];
}

/** The value a flag test reads on a node: the last value of the flag, the feature gate, or the config file's field. */
export function observe(node: NodeView, component: NodeComponentName, test: FlagTest): Observation {
  const settings = node.component(component);
  const label = COMPONENT_LABELS[component];
  const flags = settings?.flags ?? {};
  if (test.flag !== undefined && flags[test.flag] !== undefined) {
    const values = flags[test.flag] ?? [];
    return { path: `components.${component}.flags.${test.flag}`, value: values[values.length - 1] ?? '', source: `${label} --${test.flag}` };
  }
  if (test.featureGate !== undefined) {
    const gates = flags['feature-gates'] ?? [];
    const gate = parseFeatureGates(gates[gates.length - 1] ?? '').get(test.featureGate);
    if (gate !== undefined) return { path: `components.${component}.flags.feature-gates`, value: gate, source: `${label} --feature-gates ${test.featureGate}` };
  }
  if (test.configPath !== undefined && settings?.config) {
    const value = readPath(settings.config.content, test.configPath);
    const source = `${label} config ${settings.config.path} ${test.configPath}`;
    if (value !== undefined) return { path: `components.${component}.config.content.${test.configPath}`, value, source };
    return { path: `components.${component}.config.content.${test.configPath}`, value: null, source };
  }
  const name = test.flag !== undefined ? `--${test.flag}` : `--feature-gates ${test.featureGate ?? ''}`;
  return { path: `components.${component}.flags.${test.flag ?? 'feature-gates'}`, value: null, source: `${label} ${name}` };
}

function parseFeatureGates(text: string): Map<string, string> {
  const gates = new Map<string, string>();
  for (const pair of text.split(',')) {
    const [name, value] = pair.split('=');
    if (name && value !== undefined) gates.set(name.trim(), value.trim());
  }
  return gates;
}

/** A dotted path into a parsed config file; lists become comma-joined text, as kube-bench's jsonpath ranges print them. */
function readPath(content: unknown, path: string): string | undefined {
  let current: unknown = content;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return undefined;
  if (Array.isArray(current)) return current.map((item) => String(item)).join(',');
  if (typeof current === 'object') return JSON.stringify(current);
  return String(current as string | number | boolean);
}

export function compare(op: CompareOp, actual: string, expected: string): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'noteq':
      return actual !== expected;
    case 'has':
      return actual.includes(expected);
    case 'nothave':
      return !actual.includes(expected);
    case 'gte':
    case 'gt':
    case 'lte':
    case 'lt': {
      const a = Number(actual);
      const e = Number(expected);
      if (actual.trim() === '' || Number.isNaN(a) || Number.isNaN(e)) return false;
      return op === 'gte' ? a >= e : op === 'gt' ? a > e : op === 'lte' ? a <= e : a < e;
    }
    case 'valid_elements': {
      const allowed = new Set(expected.split(',').map((item) => item.trim()));
      const items = actual.split(',').map((item) => item.trim()).filter((item) => item !== '');
      return items.length > 0 && items.every((item) => allowed.has(item));
    }
    case 'bitmask': {
      const a = Number.parseInt(actual, 8);
      const max = Number.parseInt(expected, 8);
      return !Number.isNaN(a) && (a & ~max) === 0;
    }
    case 'regex':
      // Not used by sections 1-4 of the versions shipped; refuse rather than guess.
      return false;
  }
}

export function testPasses(test: FlagTest, observed: Observation): boolean {
  if (!test.set) return observed.value === null;
  if (observed.value === null) return false;
  return test.compare ? compare(test.compare.op, observed.value, test.compare.value) : true;
}

/** Runs a flags spec on a node: whether it passes, and what each test observed (for the evidence). */
export function runFlags(spec: FlagsSpec, node: NodeView): { pass: boolean; observed: Observation[] } {
  const observed = spec.tests.map((test) => observe(node, spec.component, test));
  const results = spec.tests.map((test, i) => testPasses(test, observed[i] as Observation));
  return { pass: spec.op === 'or' ? results.some(Boolean) : results.every(Boolean), observed };
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

/**
 * The owner as `user:group`. Names come from the host's passwd/group files; when the collector could not name an
 * id, uid/gid 0 still read as root (what `stat -c %U:%G` prints), anything else as the number.
 */
export function ownerOf(file: NodeFile): string | undefined {
  const user = file.user ?? (file.uid === undefined ? undefined : file.uid === 0 ? 'root' : String(file.uid));
  const group = file.group ?? (file.gid === undefined ? undefined : file.gid === 0 ? 'root' : String(file.gid));
  return user === undefined || group === undefined ? undefined : `${user}:${group}`;
}

/** Files of a spec that exist and whose mode or owner breaks it. A file that does not exist has nothing to protect. */
export function badFiles(spec: FileSpec, node: NodeView): { file: NodeFile; observed: string }[] {
  const bad: { file: NodeFile; observed: string }[] = [];
  for (const file of node.filesWithRole(spec.roles)) {
    if (!file.exists) continue;
    if (spec.property === 'mode') {
      if (file.mode === undefined) continue;
      if (!compare('bitmask', octal(file.mode), spec.maxMode)) bad.push({ file, observed: octal(file.mode) });
    } else {
      const owner = ownerOf(file);
      if (owner !== undefined && owner !== spec.owner) bad.push({ file, observed: owner });
    }
  }
  return bad;
}

/** Whether a node can answer the spec at all: it runs the component, or reported an existing file of the role. */
export function nodeAnswers(spec: CheckSpec, node: NodeView): boolean {
  switch (spec.kind) {
    case 'flags':
      return node.component(spec.component) !== undefined;
    case 'file':
      return node.filesWithRole(spec.roles).some((file) => file.exists);
    case 'encryption-providers':
      return node.component('apiserver') !== undefined;
  }
}

/**
 * The first provider the API server uses for Secrets (kube-bench reads the first `providers:` entry). Returns
 * undefined when it cannot be judged: encryption is configured but the file was not readable by the collector.
 */
export function secretsProvider(node: NodeView): { configured: boolean; first: string | null; path: string } | undefined {
  const flag = node.component('apiserver')?.flags['encryption-provider-config'];
  const config = node.report.encryptionConfig;
  if (!flag && !config) return { configured: false, first: null, path: 'components.apiserver.flags.encryption-provider-config' };
  if (!config || !config.readable) return undefined;
  const entry = config.resources.find((resource) => resource.resources.some((name) => name === 'secrets' || name === '*.*' || name === '*.'));
  return { configured: true, first: entry?.providers[0]?.name ?? null, path: `encryptionConfig(${config.path}).resources[secrets].providers[0]` };
}
