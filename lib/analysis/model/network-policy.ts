import { isRecord, ParseIssue, readArray, readRecord, readString, readStringList } from './json';
import { namespaceOf } from './kube';
import { isEmptySelector, readLabelSelector, selectorMatches, type LabelSelector } from './labels';
import type { NetworkPolicyView } from './targets';

/**
 * NetworkPolicy semantics, not presence. Kubernetes' rules, as the documentation states them:
 * - a pod is isolated in a direction once any policy that selects it lists that direction in policyTypes
 *   (Ingress by default; Egress by default only when the policy has egress rules);
 * - policies are additive: an isolated pod accepts the union of what every selecting policy allows, so one
 *   allow-all rule beside a default deny undoes the deny for every pod both select;
 * - a rule with no (or an empty) `from`/`to` matches every peer, one with no (or empty) `ports` every port;
 * - `namespaceSelector: {}` matches every namespace; an `ipBlock` of 0.0.0.0/0 or ::/0 every address outside
 *   the cluster (its `except` list carves holes, it does not make the block narrow).
 * Pure: a policy or a workload's labels in, the openings with the policy and rule that make them out.
 */

export type Direction = 'Ingress' | 'Egress';
export const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

export type PolicyPeer = {
  podSelector: LabelSelector | undefined;
  namespaceSelector: LabelSelector | undefined;
  ipBlock: { cidr: string; except: string[] } | undefined;
};
export type PolicyPort = { protocol: string; port: string | undefined; endPort: number | undefined };
/** One ingress or egress rule. `peers: null` is a missing or empty from/to (every peer); `ports: null` every port. */
export type PolicyRule = { peers: PolicyPeer[] | null; ports: PolicyPort[] | null };

function readPeers(raw: unknown, path: string): PolicyPeer[] | null {
  const list = readArray(raw, path);
  if (list.length === 0) return null;
  return list.map((item, index) => {
    const at = `${path}[${index}]`;
    const peer = readRecord(item, at) ?? {};
    const ipBlock = readRecord(peer.ipBlock, at, 'ipBlock');
    return {
      podSelector: readLabelSelector(peer.podSelector, `${at}.podSelector`),
      namespaceSelector: readLabelSelector(peer.namespaceSelector, `${at}.namespaceSelector`),
      ipBlock: ipBlock
        ? { cidr: readString(ipBlock.cidr, `${at}.ipBlock`, 'cidr') ?? '', except: readStringList(ipBlock.except, `${at}.ipBlock`, 'except') }
        : undefined,
    };
  });
}

function readPorts(raw: unknown, path: string): PolicyPort[] | null {
  const list = readArray(raw, path);
  if (list.length === 0) return null;
  return list.map((item, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(item)) throw new ParseIssue(at, 'a port');
    const port = item.port;
    if (port !== undefined && port !== null && typeof port !== 'string' && typeof port !== 'number') throw new ParseIssue(at, 'a number or a name', 'port');
    const endPort = item.endPort;
    return {
      protocol: readString(item.protocol, at, 'protocol') ?? 'TCP',
      port: port === undefined || port === null ? undefined : String(port),
      endPort: typeof endPort === 'number' ? endPort : undefined,
    };
  });
}

/** The ingress or egress rules of a NetworkPolicy spec, read strictly (a malformed rule is a ParseIssue). */
export function readPolicyRules(spec: Record<string, unknown>, direction: Direction): PolicyRule[] {
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peerField = direction === 'Ingress' ? 'from' : 'to';
  return readArray(spec[field], `spec.${field}`).map((item, index) => {
    const at = `spec.${field}[${index}]`;
    const rule = readRecord(item, at) ?? {};
    return { peers: readPeers(rule[peerField], `${at}.${peerField}`), ports: readPorts(rule.ports, `${at}.ports`) };
  });
}

/** How far one rule opens the pods it applies to. */
export type Scope = 'everything' | 'all-namespaces' | 'internet';

/** A path a rule opens: the policy and the rule (and the peer) that open it, for evidence. */
export type Opening = {
  policy: string;
  namespace: string;
  direction: Direction;
  ruleIndex: number;
  /** Absent when the rule has no peers at all (it matches everything). */
  peerIndex: number | undefined;
  scope: Scope;
  /** `all ports`, or the ports listed: `TCP/80, TCP/443`. */
  ports: string;
  allPorts: boolean;
  /** For an ipBlock: the CIDR and the holes carved out of it. */
  cidr?: string;
  except?: string[];
  /** JSON path in the NetworkPolicy: `spec.ingress[0].from[1]`, or `spec.ingress[0]` for a rule with no peers. */
  path: string;
};

const ANY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

/** Whether an ipBlock covers every address (the prefix length, not the spelling, decides: 0.0.0.0/0 and ::/0). */
export function isAnyAddress(cidr: string): boolean {
  if (ANY_ADDRESS.has(cidr.trim())) return true;
  const [, prefix] = cidr.trim().split('/');
  return prefix !== undefined && /^0+$/.test(prefix);
}

function describePorts(ports: PolicyPort[] | null): string {
  if (ports === null) return 'all ports';
  return ports
    .map((p) => (p.port === undefined ? `${p.protocol}/any` : p.endPort !== undefined ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`))
    .join(', ');
}

/** Every opening one rule makes: none for a rule that names pods of its own namespace or narrow address blocks. */
export function openingsOf(policy: NetworkPolicyView, direction: Direction, ruleIndex: number, rule: PolicyRule): Opening[] {
  const field = direction === 'Ingress' ? 'ingress' : 'egress';
  const peerField = direction === 'Ingress' ? 'from' : 'to';
  const base = {
    policy: policy.object.metadata.name,
    namespace: namespaceOf(policy.object) ?? 'default',
    direction,
    ruleIndex,
    ports: describePorts(rule.ports),
    allPorts: rule.ports === null,
  };
  if (rule.peers === null) return [{ ...base, peerIndex: undefined, scope: 'everything', path: `spec.${field}[${ruleIndex}]` }];
  const openings: Opening[] = [];
  rule.peers.forEach((peer, peerIndex) => {
    const path = `spec.${field}[${ruleIndex}].${peerField}[${peerIndex}]`;
    // `namespaceSelector: {}` with a podSelector still opens the pods to every namespace: whoever may create a
    // pod with those labels anywhere in the cluster gets in.
    if (peer.namespaceSelector && isEmptySelector(peer.namespaceSelector)) openings.push({ ...base, peerIndex, scope: 'all-namespaces', path });
    if (peer.ipBlock && isAnyAddress(peer.ipBlock.cidr)) {
      openings.push({ ...base, peerIndex, scope: 'internet', path, cidr: peer.ipBlock.cidr, ...(peer.ipBlock.except.length > 0 ? { except: peer.ipBlock.except } : {}) });
    }
  });
  return openings;
}

/** Whether a rule lets every peer in on every port: the rule `{}` (or one with empty from/to and ports). */
export function allowsEverything(rule: PolicyRule): boolean {
  return rule.peers === null && rule.ports === null;
}

export type DirectionState = {
  /** Policies that select the pods for this direction. None: the direction is not isolated at all. */
  readonly selectedBy: readonly NetworkPolicyView[];
  /** Every path the selecting policies' rules open, in policy then rule order. */
  readonly openings: readonly Opening[];
  /** The first rule that allows everything: the pods are isolated on paper only. */
  readonly allowAll: Opening | undefined;
};
export type EffectiveIsolation = Readonly<Record<Direction, DirectionState>>;

/** Whether a policy applies to a pod with these labels in this direction. */
export function appliesTo(policy: NetworkPolicyView, labels: Record<string, string>, direction: Direction): boolean {
  return policy.policyTypes.includes(direction) && selectorMatches(policy.podSelector, labels);
}

// What one policy opens depends on the policy alone, and which policies select a workload only on its labels: every
// workload of a namespace the same policies select shares one answer. Both are kept for the life of the policy
// views (one evaluation), so a namespace of 1,000 workloads reads its policies' rules once, not 1,000 times.
const POLICY_OPENINGS = new WeakMap<NetworkPolicyView, Partial<Record<Direction, DirectionState>>>();
const ISOLATION_BY_SELECTION = new WeakMap<readonly NetworkPolicyView[], Map<string, EffectiveIsolation>>();
const NOT_SELECTED: DirectionState = Object.freeze({ selectedBy: Object.freeze([]), openings: Object.freeze([]), allowAll: undefined });

function policyState(policy: NetworkPolicyView, direction: Direction): DirectionState {
  let byDirection = POLICY_OPENINGS.get(policy);
  if (!byDirection) POLICY_OPENINGS.set(policy, (byDirection = {}));
  let state = byDirection[direction];
  if (!state) {
    const openings: Opening[] = [];
    let allowAll: Opening | undefined;
    (direction === 'Ingress' ? policy.ingress : policy.egress).forEach((rule, index) => {
      const found = openingsOf(policy, direction, index, rule);
      openings.push(...found);
      if (!allowAll && allowsEverything(rule)) allowAll = found[0];
    });
    state = byDirection[direction] = { selectedBy: [policy], openings, allowAll };
  }
  return state;
}

function stateOf(policies: readonly NetworkPolicyView[], direction: Direction): DirectionState {
  if (policies.length === 0) return NOT_SELECTED;
  if (policies.length === 1) return policyState(policies[0] as NetworkPolicyView, direction);
  const openings: Opening[] = [];
  let allowAll: Opening | undefined;
  for (const policy of policies) {
    const state = policyState(policy, direction);
    openings.push(...state.openings);
    allowAll ??= state.allowAll;
  }
  return { selectedBy: [...policies], openings, allowAll };
}

/** A workload's effective isolation, from the policies of its namespace and its pods' labels. */
export function effectiveIsolation(policies: readonly NetworkPolicyView[], labels: Record<string, string>): EffectiveIsolation {
  if (policies.length === 0) return NO_POLICIES_ISOLATION;
  // The key is which policies apply in which direction: `i` ingress, `e` egress, per policy in namespace order.
  let key = '';
  for (const policy of policies) {
    const selects = selectorMatches(policy.podSelector, labels);
    const ingress = selects && policy.policyTypes.includes('Ingress');
    const egress = selects && policy.policyTypes.includes('Egress');
    key += ingress ? (egress ? 'b' : 'i') : egress ? 'e' : '-';
  }
  let cache = ISOLATION_BY_SELECTION.get(policies);
  if (!cache) ISOLATION_BY_SELECTION.set(policies, (cache = new Map()));
  let isolation = cache.get(key);
  if (!isolation) {
    const pick = (mark: 'i' | 'e') => policies.filter((_, i) => key[i] === mark || key[i] === 'b');
    isolation = { Ingress: stateOf(pick('i'), 'Ingress'), Egress: stateOf(pick('e'), 'Egress') };
    cache.set(key, isolation);
  }
  return isolation;
}

const NO_POLICIES_ISOLATION: EffectiveIsolation = Object.freeze({ Ingress: NOT_SELECTED, Egress: NOT_SELECTED });

export type DefaultDeny =
  | { state: 'missing' }
  /** A policy selecting every pod isolates the direction, and another (or the same) one allows everything to every pod. */
  | { state: 'undone'; deny: NetworkPolicyView; undoneBy: Opening }
  | { state: 'present'; deny: NetworkPolicyView };

/**
 * Whether a namespace denies a direction by default. A policy with an empty podSelector isolates every pod; an
 * allow-everything rule in any policy that also selects every pod opens them all again, so it is no default deny.
 */
export function defaultDenyOf(policies: readonly NetworkPolicyView[], direction: Direction): DefaultDeny {
  const everyPod = policies.filter((p) => p.policyTypes.includes(direction) && isEmptySelector(p.podSelector));
  const deny = everyPod[0];
  if (!deny) return { state: 'missing' };
  const undoneBy = stateOf(everyPod, direction).allowAll;
  return undoneBy ? { state: 'undone', deny, undoneBy } : { state: 'present', deny };
}

/**
 * Why a policy isolates nothing, or undefined: it selects no pod that runs, or in every direction it declares
 * one of its own rules allows everything (the pods it selects are as open as if it did not exist).
 */
export function isolatesNothing(policy: NetworkPolicyView, podLabels: readonly Record<string, string>[]): { reason: string; opening?: Opening } | undefined {
  // An empty podSelector selects every pod, the next one deployed too: a default deny in an empty namespace is fine.
  if (!isEmptySelector(policy.podSelector) && !podLabels.some((labels) => selectorMatches(policy.podSelector, labels))) {
    return { reason: 'its podSelector matches no workload in the namespace' };
  }
  if (policy.policyTypes.length === 0) return { reason: 'it declares no policy type it knows (Ingress or Egress)' };
  let first: Opening | undefined;
  for (const direction of policy.policyTypes) {
    const allowAll = stateOf([policy], direction).allowAll;
    if (!allowAll) return undefined;
    first ??= allowAll;
  }
  return { reason: `every direction it declares (${policy.policyTypes.join(', ')}) has a rule that allows all traffic on all ports`, opening: first };
}

/** `policy allow-all rule spec.ingress[0]` plus ports, for messages. Never more than names and indexes. */
export function describeOpening(opening: Opening): string {
  const what =
    opening.scope === 'everything'
      ? 'allows every peer'
      : opening.scope === 'all-namespaces'
        ? 'allows every namespace (namespaceSelector: {})'
        : `allows ${opening.cidr ?? 'every address'}${opening.except ? ` except ${opening.except.join(', ')}` : ''}`;
  return `NetworkPolicy ${opening.policy} ${opening.path} ${what} on ${opening.ports}`;
}
