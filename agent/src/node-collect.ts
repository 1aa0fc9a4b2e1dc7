import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  NODE_REPORT_API_VERSION,
  NODE_REPORT_LIMITS,
  nodeReportSchema,
  type AuditPolicy,
  type EncryptionConfig,
  type NodeComponent,
  type NodeComponentName,
  type NodeFile,
  type NodeFileRole,
  type NodeReport,
} from '@/lib/analysis/snapshot/node-report';
import { redactConfigContent, redactFlags } from '@/lib/analysis/snapshot/node-report-redact';
import { redactedMarker } from '@/lib/analysis/snapshot/redact';
import { formatIssuePath } from '@/lib/analysis/snapshot/issue-path';
import { UsageError } from './errors';
import { AGENT_VERSION } from './version';

/*
 * The node collector: reads, read-only, what kube-bench reads on a node (CIS sections 1-4) and makes one node
 * report (lib/analysis/snapshot/node-report.ts). Every host path is read below `hostRoot` (the DaemonSet mounts
 * the host's directories there) and processes below `procRoot` (the host's /proc, seen through hostPID).
 * Never read: key files, certificates, kubeconfigs, the etcd data; only their mode and owner are taken.
 */

export type NodeCollectOptions = {
  hostRoot: string;
  procRoot: string;
  /** Default: env NODE_NAME (the DaemonSet's downward API), the kubelet's --hostname-override, /etc/hostname. */
  nodeName?: string;
  env?: Record<string, string | undefined>;
  now?: () => Date;
};

/** A config file larger than this is not parsed (real ones are a few KiB). */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
const MAX_SYMLINK_HOPS = 8;
const MAX_PROCESSES_SCANNED = 100_000;

const STATIC_POD_COMPONENTS: Record<string, NodeComponentName> = {
  'kube-apiserver': 'apiserver',
  'kube-controller-manager': 'controllerManager',
  'kube-scheduler': 'scheduler',
  etcd: 'etcd',
};
const PROCESS_COMPONENTS: Record<string, NodeComponentName> = { ...STATIC_POD_COMPONENTS, kubelet: 'kubelet', 'kube-proxy': 'proxy' };
const MANIFEST_ROLES: Partial<Record<NodeComponentName, NodeFileRole>> = {
  apiserver: 'apiserver-manifest',
  controllerManager: 'controller-manager-manifest',
  scheduler: 'scheduler-manifest',
  etcd: 'etcd-manifest',
};

const DEFAULTS = {
  manifestDir: '/etc/kubernetes/manifests',
  kubeletConfigs: ['/var/lib/kubelet/config.yaml', '/etc/kubernetes/kubelet/kubelet-config.json'],
  kubeletKubeconfig: '/etc/kubernetes/kubelet.conf',
  kubeletServices: [
    '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
    '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
    '/etc/systemd/system/kubelet.service',
    '/usr/lib/systemd/system/kubelet.service',
    '/lib/systemd/system/kubelet.service',
  ],
  cniDir: '/etc/cni/net.d',
  pkiDir: '/etc/kubernetes/pki',
  etcdDataDir: '/var/lib/etcd',
  kubeconfigs: [
    ['/etc/kubernetes/admin.conf', 'admin-kubeconfig'],
    ['/etc/kubernetes/super-admin.conf', 'super-admin-kubeconfig'],
    ['/etc/kubernetes/scheduler.conf', 'scheduler-kubeconfig'],
    ['/etc/kubernetes/controller-manager.conf', 'controller-manager-kubeconfig'],
  ] as const,
};

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const stringList = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);
const lastFlag = (flags: Record<string, string[]>, name: string): string | undefined => flags[name]?.at(-1);

/**
 * Command-line arguments as flags: `--name=value`, `--name value` (when the next argument is not a flag) and a
 * bare `--name` (['true'], pflag's boolean). Arguments that are not flags (a positional) are skipped.
 */
export function parseFlags(args: readonly string[]): Record<string, string[]> {
  const flags: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    const list = (flags[name] ??= []);
    if (list.length < NODE_REPORT_LIMITS.maxValuesPerFlag) list.push(value.slice(0, NODE_REPORT_LIMITS.maxFlagValueLength));
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--?([A-Za-z0-9][A-Za-z0-9_.-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) continue;
    const [, name = '', value] = match;
    if (!(name in flags) && Object.keys(flags).length >= NODE_REPORT_LIMITS.maxFlagsPerComponent) continue;
    if (value !== undefined) add(name, value);
    else if (i + 1 < args.length && !(args[i + 1] ?? '').startsWith('-')) add(name, args[++i] ?? '');
    else add(name, 'true');
  }
  return flags;
}

/** Host paths read below the host root, symlinks resolved inside it (an absolute link target is a host path). */
class HostFs {
  constructor(private readonly root: string) {}

  private inRoot(hostPath: string): string {
    return path.join(this.root, path.posix.resolve('/', hostPath));
  }

  /** The host path a symlink chain ends at, or null when it loops or leaves nothing. */
  private async resolve(hostPath: string): Promise<{ hostPath: string; stats: Awaited<ReturnType<typeof lstat>> } | null> {
    let current = path.posix.resolve('/', hostPath);
    for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
      let stats;
      try {
        stats = await lstat(this.inRoot(current));
      } catch {
        return null;
      }
      if (!stats.isSymbolicLink()) return { hostPath: current, stats };
      const target = await readlink(this.inRoot(current));
      current = path.posix.resolve(path.posix.dirname(current), target);
    }
    return null;
  }

  async stat(hostPath: string, role: NodeFileRole | undefined, names: OwnerNames): Promise<NodeFile> {
    const resolved = await this.resolve(hostPath);
    const base: NodeFile = { path: hostPath, ...(role ? { role } : {}), exists: resolved !== null };
    if (!resolved) return base;
    const { stats } = resolved;
    const uid = Number(stats.uid);
    const gid = Number(stats.gid);
    const user = names.users.get(uid);
    const group = names.groups.get(gid);
    return {
      ...base,
      kind: stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other',
      mode: Number(stats.mode) & 0o7777,
      uid,
      gid,
      ...(user !== undefined ? { user } : {}),
      ...(group !== undefined ? { group } : {}),
    };
  }

  async readText(hostPath: string): Promise<string | null> {
    const resolved = await this.resolve(hostPath);
    if (!resolved || !resolved.stats.isFile() || Number(resolved.stats.size) > MAX_CONFIG_FILE_BYTES) return null;
    try {
      return await readFile(this.inRoot(resolved.hostPath), 'utf8');
    } catch {
      return null;
    }
  }

  /** Entries of a host directory, sorted; [] when it is missing or unreadable. */
  async list(hostPath: string): Promise<string[]> {
    const resolved = await this.resolve(hostPath);
    if (!resolved || !resolved.stats.isDirectory()) return [];
    try {
      return (await readdir(this.inRoot(resolved.hostPath))).sort();
    } catch {
      return [];
    }
  }

  async isDirectory(hostPath: string): Promise<boolean> {
    return (await this.resolve(hostPath))?.stats.isDirectory() ?? false;
  }
}

type OwnerNames = { users: Map<number, string>; groups: Map<number, string> };

/** uid -> name from the host's /etc/passwd, gid -> name from its /etc/group (name:x:id:...). */
async function ownerNames(host: HostFs): Promise<OwnerNames> {
  const read = async (file: string) => {
    const names = new Map<number, string>();
    for (const line of ((await host.readText(file)) ?? '').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
    }
    return names;
  };
  return { users: await read('/etc/passwd'), groups: await read('/etc/group') };
}

/** Parsed YAML or JSON of a host file, or undefined when missing, too large or not parseable. */
async function readConfig(host: HostFs, hostPath: string): Promise<unknown> {
  const text = await host.readText(hostPath);
  if (text === null) return undefined;
  try {
    return parseYaml(text, { maxAliasCount: 100 }) as unknown;
  } catch {
    return undefined;
  }
}

type ProcessInfo = { pid: number; executable: string; args: string[] };

/** The first (lowest pid) process of each component, from <procRoot>/<pid>/cmdline. */
async function findProcesses(procRoot: string): Promise<Map<NodeComponentName, ProcessInfo>> {
  let entries: string[];
  try {
    entries = await readdir(procRoot);
  } catch {
    return new Map();
  }
  const pids = entries.filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b).slice(0, MAX_PROCESSES_SCANNED);
  const found = new Map<NodeComponentName, ProcessInfo>();
  for (const pid of pids) {
    let raw: string;
    try {
      raw = await readFile(path.join(procRoot, String(pid), 'cmdline'), 'utf8');
    } catch {
      continue; // the process ended, or is not readable: not one of ours
    }
    const argv = raw.split('\0');
    if (argv.at(-1) === '') argv.pop();
    const executable = argv[0] ?? '';
    const component = PROCESS_COMPONENTS[path.posix.basename(executable)];
    if (component && !found.has(component)) found.set(component, { pid, executable, args: argv.slice(1) });
  }
  return found;
}

type StaticPod = { component: NodeComponentName; path: string; args: string[] };

/** The control-plane static pods in the manifest directory, with their container's command and args. */
async function findStaticPods(host: HostFs, manifestDir: string): Promise<StaticPod[]> {
  const pods: StaticPod[] = [];
  for (const entry of await host.list(manifestDir)) {
    if (!/\.(ya?ml|json)$/.test(entry)) continue;
    const manifestPath = path.posix.join(manifestDir, entry);
    const pod = await readConfig(host, manifestPath);
    const containers = isRecord(pod) && isRecord(pod.spec) && Array.isArray(pod.spec.containers) ? pod.spec.containers.filter(isRecord) : [];
    for (const container of containers) {
      const command = stringList(container.command) ?? [];
      const args = stringList(container.args) ?? [];
      const binary = path.posix.basename(command[0] ?? '');
      const component = STATIC_POD_COMPONENTS[binary] ?? STATIC_POD_COMPONENTS[asString(container.name) ?? ''];
      if (!component || pods.some((p) => p.component === component)) continue;
      pods.push({ component, path: manifestPath, args: [...(STATIC_POD_COMPONENTS[binary] ? command.slice(1) : command), ...args] });
    }
  }
  return pods;
}

function auditPolicyOf(hostPath: string, content: unknown): AuditPolicy {
  const isPolicy = isRecord(content) && content.kind === 'Policy' && Array.isArray(content.rules);
  if (!isPolicy) return { path: hostPath, readable: false, rules: [] };
  const rules = (content.rules as unknown[]).filter(isRecord).slice(0, NODE_REPORT_LIMITS.maxAuditRules).map((rule) => {
    const resources = Array.isArray(rule.resources)
      ? rule.resources.filter(isRecord).slice(0, 256).map((r) => ({ ...(asString(r.group) !== undefined ? { group: asString(r.group) } : {}), ...(stringList(r.resources) ? { resources: stringList(r.resources) } : {}) }))
      : undefined;
    const pick = (key: string) => {
      const list = stringList(rule[key]);
      return list ? { [key]: list.slice(0, 1024).map((v) => v.slice(0, 1024)) } : {};
    };
    return {
      level: (asString(rule.level) ?? '').slice(0, 64),
      ...(resources ? { resources } : {}),
      ...pick('verbs'), ...pick('users'), ...pick('userGroups'), ...pick('namespaces'), ...pick('nonResourceURLs'), ...pick('omitStages'),
    };
  });
  const omitStages = stringList(content.omitStages);
  return { path: hostPath, readable: true, ...(omitStages ? { omitStages } : {}), rules };
}

/** Resources and providers in order; every key's secret becomes a marker, the kms plugin keeps its name and endpoint. */
function encryptionConfigOf(hostPath: string, content: unknown): EncryptionConfig {
  const isConfig = isRecord(content) && content.kind === 'EncryptionConfiguration' && Array.isArray(content.resources);
  if (!isConfig) return { path: hostPath, readable: false, resources: [] };
  const resources = (content.resources as unknown[]).filter(isRecord).slice(0, NODE_REPORT_LIMITS.maxEncryptionResources).map((entry) => ({
    resources: (stringList(entry.resources) ?? []).slice(0, 1024),
    providers: (Array.isArray(entry.providers) ? entry.providers.filter(isRecord) : []).slice(0, 32).flatMap((provider) =>
      Object.entries(provider).slice(0, 1).map(([name, settings]) => {
        const keys = isRecord(settings) && Array.isArray(settings.keys)
          ? settings.keys.filter(isRecord).slice(0, 64).map((key) => ({ name: (asString(key.name) ?? '').slice(0, 253), secret: redactedMarker(asString(key.secret) ?? '', 'secret-data') }))
          : undefined;
        const kms = name === 'kms' && isRecord(settings)
          ? { ...(asString(settings.name) ? { name: asString(settings.name) } : {}), ...(asString(settings.apiVersion) ? { apiVersion: asString(settings.apiVersion) } : {}), ...(asString(settings.endpoint) ? { endpoint: asString(settings.endpoint) } : {}) }
          : undefined;
        return { name: name.slice(0, 64), ...(keys ? { keys } : {}), ...(kms ? { kms } : {}) };
      }),
    ),
  }));
  return { path: hostPath, readable: true, resources };
}

function component(source: NodeComponent['source'], flags: Record<string, string[]>, where?: string, config?: { path: string; content: unknown }): NodeComponent {
  return {
    source,
    ...(where ? { path: where } : {}),
    flags: redactFlags(flags),
    ...(config ? { config: { path: config.path, content: redactConfigContent(config.content) } } : {}),
  };
}

/** `a=b,c=d` (the kubelet's --node-labels) as a map; entries that are not key=value are skipped. */
function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0 || Object.keys(labels).length >= NODE_REPORT_LIMITS.maxLabels) continue;
    labels[pair.slice(0, at).trim().slice(0, 317)] = pair.slice(at + 1).trim().slice(0, 63);
  }
  return labels;
}

/** Collects one node report. Throws UsageError when the roots are not directories or no node name can be found. */
export async function collectNodeReport(options: NodeCollectOptions): Promise<NodeReport> {
  const host = new HostFs(options.hostRoot);
  const procRoot = options.procRoot;
  for (const [flag, dir] of [['--host-root', options.hostRoot], ['--proc-root', procRoot]] as const) {
    const ok = await lstat(dir).then((s) => s.isDirectory(), () => false);
    if (!ok) throw new UsageError(`${flag} ${dir} is not a directory`);
  }
  const names = await ownerNames(host);
  const processes = await findProcesses(procRoot);
  const components: NodeReport['components'] = {};
  // One entry per (path, role): the kubelet's client CA is also a PKI certificate, and controls look for either.
  const files = new Map<string, { hostPath: string; role: NodeFileRole }>();
  const addFile = (hostPath: string | undefined, role: NodeFileRole) => {
    if (hostPath && path.posix.isAbsolute(hostPath) && !files.has(`${role} ${hostPath}`)) files.set(`${role} ${hostPath}`, { hostPath, role });
  };

  // The kubelet first: its config says where the static pods are and which CA it trusts.
  const kubeletProcess = processes.get('kubelet');
  const kubeletFlags = kubeletProcess ? parseFlags(kubeletProcess.args) : {};
  let kubeletConfigPath = lastFlag(kubeletFlags, 'config');
  if (!kubeletConfigPath) {
    for (const candidate of DEFAULTS.kubeletConfigs) if ((await host.readText(candidate)) !== null) { kubeletConfigPath = candidate; break; }
  }
  const kubeletConfig = kubeletConfigPath ? await readConfig(host, kubeletConfigPath) : undefined;
  if (kubeletProcess || kubeletConfig !== undefined) {
    components.kubelet = component(
      kubeletProcess ? 'process' : 'config-only',
      kubeletFlags,
      kubeletProcess?.executable,
      kubeletConfigPath && kubeletConfig !== undefined ? { path: kubeletConfigPath, content: kubeletConfig } : undefined,
    );
    addFile(kubeletConfigPath, 'kubelet-config');
    addFile(lastFlag(kubeletFlags, 'kubeconfig') ?? DEFAULTS.kubeletKubeconfig, 'kubelet-kubeconfig');
    const x509 = isRecord(kubeletConfig) && isRecord(kubeletConfig.authentication) && isRecord(kubeletConfig.authentication.x509) ? kubeletConfig.authentication.x509 : {};
    addFile(lastFlag(kubeletFlags, 'client-ca-file') ?? asString(x509.clientCAFile), 'client-ca');
    const services = [];
    for (const candidate of DEFAULTS.kubeletServices) if ((await host.stat(candidate, undefined, names)).exists) services.push(candidate);
    for (const service of services.length ? services : DEFAULTS.kubeletServices.slice(0, 1)) addFile(service, 'kubelet-service');
  }

  const manifestDir = (isRecord(kubeletConfig) ? asString(kubeletConfig.staticPodPath) : undefined) ?? lastFlag(kubeletFlags, 'pod-manifest-path') ?? DEFAULTS.manifestDir;
  const staticPods = await findStaticPods(host, manifestDir);
  for (const pod of staticPods) {
    components[pod.component] = component('static-pod', parseFlags(pod.args), pod.path);
    const role = MANIFEST_ROLES[pod.component];
    if (role) addFile(pod.path, role);
  }
  for (const [name, role] of Object.entries(MANIFEST_ROLES) as [NodeComponentName, NodeFileRole][]) {
    const running = processes.get(name);
    if (!components[name] && running) components[name] = component('process', parseFlags(running.args), running.executable);
    // A control-plane node names all four manifests, so a missing one is reported as missing.
    if (staticPods.length > 0) addFile(path.posix.join(manifestDir, `${Object.entries(STATIC_POD_COMPONENTS).find(([, c]) => c === name)?.[0]}.yaml`), role);
  }

  const proxyProcess = processes.get('proxy');
  if (proxyProcess) {
    const proxyFlags = parseFlags(proxyProcess.args);
    const proxyConfigPath = lastFlag(proxyFlags, 'config');
    const proxyConfig = proxyConfigPath ? await readConfig(host, proxyConfigPath) : undefined;
    components.proxy = component('process', proxyFlags, proxyProcess.executable, proxyConfigPath && proxyConfig !== undefined ? { path: proxyConfigPath, content: proxyConfig } : undefined);
    const connection = isRecord(proxyConfig) && isRecord(proxyConfig.clientConnection) ? proxyConfig.clientConnection : {};
    addFile(lastFlag(proxyFlags, 'kubeconfig') ?? asString(connection.kubeconfig), 'proxy-kubeconfig');
  }

  const isControlPlane = Boolean(components.apiserver || components.controllerManager || components.scheduler || components.etcd);
  if (isControlPlane) {
    for (const [kubeconfig, role] of DEFAULTS.kubeconfigs) addFile(kubeconfig, role);
    addFile(DEFAULTS.pkiDir, 'pki-dir');
    await addPki(host, DEFAULTS.pkiDir, addFile, 0);
    addFile(components.etcd ? lastFlag(components.etcd.flags, 'data-dir') ?? DEFAULTS.etcdDataDir : undefined, 'etcd-data-dir');
  }
  const cniDir = lastFlag(kubeletFlags, 'cni-conf-dir') ?? DEFAULTS.cniDir;
  for (const entry of await host.list(cniDir)) addFile(path.posix.join(cniDir, entry), 'cni-config');

  let auditPolicy: AuditPolicy | undefined;
  let encryptionConfig: EncryptionConfig | undefined;
  const apiserverFlags = components.apiserver?.flags ?? {};
  const auditPath = lastFlag(apiserverFlags, 'audit-policy-file');
  if (auditPath) {
    auditPolicy = auditPolicyOf(auditPath, await readConfig(host, auditPath));
    addFile(auditPath, 'audit-policy');
  }
  const encryptionPath = lastFlag(apiserverFlags, 'encryption-provider-config');
  if (encryptionPath) {
    encryptionConfig = encryptionConfigOf(encryptionPath, await readConfig(host, encryptionPath));
    addFile(encryptionPath, 'encryption-config');
  }

  const fileList: NodeFile[] = [];
  for (const { hostPath, role } of [...files.values()].slice(0, NODE_REPORT_LIMITS.maxFiles)) fileList.push(await host.stat(hostPath, role, names));

  const env = options.env ?? {};
  const kubeletConfigRecord = isRecord(kubeletConfig) ? kubeletConfig : {};
  const nodeName = options.nodeName ?? env.NODE_NAME ?? lastFlag(kubeletFlags, 'hostname-override') ?? (await host.readText('/etc/hostname'))?.trim();
  if (!nodeName) throw new UsageError('no node name: pass --node-name, set NODE_NAME, or give a host root with /etc/hostname');
  const providerID = lastFlag(kubeletFlags, 'provider-id') ?? asString(kubeletConfigRecord.providerID);

  const report: NodeReport = {
    apiVersion: NODE_REPORT_API_VERSION,
    collectedAt: (options.now?.() ?? new Date()).toISOString(),
    collector: { version: AGENT_VERSION },
    node: { name: nodeName, ...(providerID ? { providerID } : {}), labels: parseLabels(lastFlag(kubeletFlags, 'node-labels')) },
    components,
    files: fileList,
    ...(auditPolicy ? { auditPolicy } : {}),
    ...(encryptionConfig ? { encryptionConfig } : {}),
  };
  // What leaves the node must be what the server accepts: a collector bug shows here, not as a 400 later.
  const checked = nodeReportSchema.safeParse(report);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`the node report does not match ${NODE_REPORT_API_VERSION} at ${formatIssuePath(issue?.path ?? [])}: ${issue?.message}`);
  }
  return checked.data;
}

/** *.crt and *.key below the PKI directory (etcd/ included), as kube-bench's `find` does; never their content. */
async function addPki(host: HostFs, dir: string, addFile: (p: string, role: NodeFileRole) => void, depth: number): Promise<void> {
  if (depth > 3) return;
  for (const entry of await host.list(dir)) {
    const full = path.posix.join(dir, entry);
    if (entry.endsWith('.crt')) addFile(full, 'pki-cert');
    else if (entry.endsWith('.key')) addFile(full, 'pki-key');
    else if (await host.isDirectory(full)) await addPki(host, full, addFile, depth + 1);
  }
}
