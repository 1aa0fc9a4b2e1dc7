import path from 'node:path';
import { readFileSync } from 'node:fs';
import { readManifestPaths } from '@/agent/src/offline';
import { evaluate } from '@/lib/analysis/engine';
import { buildSnapshot } from '@/lib/analysis/snapshot/build';
import { CASES_NOT_COVERED, KUBEAUDIT_WARN_RULES, MAPPINGS, NOT_COVERED } from './mapping';

export const PEER_DIR = path.join(import.meta.dirname, 'peer');

type PeerObject = { kind: string; namespace: string | null; name: string; expected?: 'fail' | 'pass' | null };
type PeerCase = {
  anchor: 'polaris' | 'kubescape' | 'kubeaudit';
  case: string;
  inputs: string[];
  expected: 'fail' | 'pass' | 'warn' | 'accepted';
  upstreamCheck?: string;
  upstreamRule?: string;
  upstreamAuditor?: string;
  expectedResults?: { rule: string; severity: string }[];
  objects?: PeerObject[];
};

export type CaseResult = {
  case: string;
  upstream: string;
  covered: boolean;
  expected?: 'fail' | 'pass';
  actual?: 'fail' | 'pass';
  agree?: boolean;
  detail?: string;
};

/** Kinds whose per-object verdict we compare; other objects (roles, policies) are context for the case. */
const JUDGED_KINDS = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'Namespace', 'ServiceAccount']);

function upstreamKey(peer: PeerCase): string {
  return `${peer.anchor}:${peer.upstreamCheck ?? peer.upstreamRule ?? peer.upstreamAuditor ?? '?'}`;
}

/**
 * Upstream's verdict in Bulwark's terms. kubeaudit `accepted` means the problem is there and an override label
 * accepts it: Bulwark reports it (acceptance is recorded in Bulwark's own workflow), so it is a fail here.
 */
function expectedVerdict(peer: PeerCase): 'fail' | 'pass' | undefined {
  if (peer.expected === 'fail' || peer.expected === 'pass') return peer.expected;
  if (peer.expected === 'accepted') return 'fail';
  const rules = (peer.expectedResults ?? []).map((result) => KUBEAUDIT_WARN_RULES[result.rule]);
  if (rules.some((rule) => rule === undefined)) return undefined;
  return rules.includes('fail') ? 'fail' : 'pass';
}

export function listPeerCases(): PeerCase[] {
  const index = JSON.parse(readFileSync(path.join(PEER_DIR, 'index.json'), 'utf8')) as { cases: PeerCase[] };
  return index.cases;
}

/** Runs one peer case through the real offline path (manifest reader, buildSnapshot, evaluate). */
export async function runPeerCase(peer: PeerCase): Promise<CaseResult> {
  const upstream = upstreamKey(peer);
  const mapping = MAPPINGS[upstream];
  const excluded = CASES_NOT_COVERED[peer.case];
  if (excluded) return { case: peer.case, upstream, covered: false, detail: excluded };
  if (!mapping) return { case: peer.case, upstream, covered: false, detail: NOT_COVERED[upstream] ?? 'no Bulwark control maps to this check' };
  const expected = expectedVerdict(peer);
  if (!expected) return { case: peer.case, upstream, covered: false, detail: 'upstream verdict has no Bulwark meaning' };

  const objects = await readManifestPaths(peer.inputs.map((input) => path.join(PEER_DIR, input)));
  const { snapshot } = buildSnapshot({
    objects,
    cluster: { uid: 'conformance', name: 'conformance', provider: 'offline' },
    collectedAt: '2025-01-01T00:00:00Z',
    agentVersion: 'conformance',
    mode: 'offline',
  });
  // Test inputs use kube-system and system: names freely; the check logic is what is compared here.
  const result = evaluate(snapshot, { now: new Date('2025-01-01T00:00:00Z'), controlIds: mapping.controls, includePlatform: mapping.includePlatform ?? true });
  const findings = mapping.bindingKinds ? result.findings.filter((f) => (mapping.bindingKinds as string[]).includes(f.resource.kind)) : result.findings;
  const actual = findings.length > 0 ? 'fail' : 'pass';
  const problems: string[] = [];
  if (actual !== expected) problems.push(`expected ${expected}, Bulwark says ${actual}`);
  for (const object of peer.objects ?? []) {
    if (!object.expected || !JUDGED_KINDS.has(object.kind)) continue;
    const hit = findings.some((f) => f.resource.kind === object.kind && f.resource.name === object.name);
    if (object.expected === 'fail' && !hit) problems.push(`no finding on ${object.kind} ${object.name}`);
    if (object.expected === 'pass' && hit) problems.push(`unexpected finding on ${object.kind} ${object.name}`);
  }
  return {
    case: peer.case,
    upstream,
    covered: true,
    expected,
    actual,
    agree: problems.length === 0,
    detail: problems.length > 0 ? `${problems.join('; ')}${findings.length > 0 ? ` [${findings.map((f) => f.message).join(' | ')}]` : ''}` : undefined,
  };
}

/** Case ids listed in DISAGREEMENTS.md (lines of the form "- `case/id`: reason"). */
export function listAcceptedDisagreements(): Set<string> {
  const text = readFileSync(path.join(import.meta.dirname, 'DISAGREEMENTS.md'), 'utf8');
  return new Set([...text.matchAll(/^- `([^`]+)`/gm)].map((match) => match[1] ?? ''));
}
