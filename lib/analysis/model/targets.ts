import type { KubeObject } from '@/lib/analysis/snapshot/schema';
import { readArray, readRecord, readStringList } from './json';
import { namespaceOf, type PodBearingKind } from './kube';
import { isEmptySelector, readLabelSelector, selectorMatches, type LabelSelector } from './labels';
import { readPolicyRules, type EffectiveIsolation, type PolicyRule } from './network-policy';
import { podSpecPathOf } from './workload';
import type { Container, PodSpec } from './workload-types';

/** A top-level pod-bearing object with its pod spec read, as workload controls see it. */
export type Workload = {
  object: KubeObject;
  kind: PodBearingKind;
  /** The namespace the pods run in (`default` for a manifest without one). */
  namespace: string;
  spec: PodSpec;
  /** Containers, initContainers and ephemeralContainers, including ephemeral ones found on its Pods. */
  containers: Container[];
  /** JSON path of the pod spec in this object ("spec.template.spec"). */
  specPath: string;
  /** JSON path of a pod spec field in this object ("spec.template.spec.hostPID"). */
  path(field: string): string;
  /** Its effective NetworkPolicy isolation, kept on first use: four controls ask (network-openings.ts). */
  memo: { isolation: EffectiveIsolation | undefined };
};

/** Workload.path, shared by every workload (no closure per workload; see containerFieldPath). */
function workloadFieldPath(this: Pick<Workload, 'specPath'>, field: string): string {
  return `${this.specPath}.${field}`;
}

export function workloadOf(object: KubeObject, kind: PodBearingKind, spec: PodSpec): Workload {
  const base = podSpecPathOf(kind);
  return {
    object,
    kind,
    namespace: namespaceOf(object) ?? 'default',
    spec,
    containers: [...spec.containers],
    specPath: base,
    path: workloadFieldPath,
    memo: { isolation: undefined },
  };
}

export type NetworkPolicyView = {
  object: KubeObject;
  podSelector: LabelSelector;
  /** Effective policy types: Ingress always unless policyTypes says otherwise; Egress when listed or egress rules exist. */
  policyTypes: ('Ingress' | 'Egress')[];
  ingressRules: number;
  egressRules: number;
  /** The rules, read (network-policy.ts gives them their meaning). */
  ingress: PolicyRule[];
  egress: PolicyRule[];
};

export function readNetworkPolicy(object: KubeObject): NetworkPolicyView {
  const spec = readRecord(object.spec, 'spec') ?? {};
  const ingress = readArray(spec.ingress, 'spec.ingress');
  const egress = readArray(spec.egress, 'spec.egress');
  const declared = readStringList(spec.policyTypes, 'spec.policyTypes');
  const policyTypes: ('Ingress' | 'Egress')[] =
    declared.length > 0
      ? declared.filter((type): type is 'Ingress' | 'Egress' => type === 'Ingress' || type === 'Egress')
      : egress.length > 0
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  return {
    object,
    podSelector: readLabelSelector(spec.podSelector, 'spec.podSelector') ?? { matchLabels: {}, matchExpressions: [] },
    policyTypes,
    ingressRules: ingress.length,
    egressRules: egress.length,
    ingress: readPolicyRules(spec, 'Ingress'),
    egress: readPolicyRules(spec, 'Egress'),
  };
}

/** True when the policy selects every pod of its namespace for the given direction. */
export function selectsAllPods(policy: NetworkPolicyView, direction: 'Ingress' | 'Egress'): boolean {
  return isEmptySelector(policy.podSelector) && policy.policyTypes.includes(direction);
}

export function selectsPod(policy: NetworkPolicyView, labels: Record<string, string>): boolean {
  return selectorMatches(policy.podSelector, labels);
}

/** A namespace as namespace controls see it. `object` is absent when only its workloads are in the snapshot. */
export type NamespaceView = {
  name: string;
  object: KubeObject | undefined;
  labels: Record<string, string>;
  policies: NetworkPolicyView[];
  workloads: number;
  /** The pod labels of each workload in the namespace: what a policy's podSelector can select. */
  workloadLabels: Record<string, string>[];
};

/** A NetworkPolicy as its controls see it: with the pod labels of its namespace's workloads. */
export type NetworkPolicyTarget = { policy: NetworkPolicyView; workloadLabels: readonly Record<string, string>[] };
