import type { ConfigMapMeta, KubeObject, ResourceName, SecretMeta } from '@/lib/analysis/snapshot/schema';
import type { JsonValue } from './json';
import type { BindingView, EffectiveRule, RbacModel, RbacSubject, RoleView } from './rbac/model';
import type { NamespaceView, NetworkPolicyTarget, NetworkPolicyView, Workload } from './targets';
import type { AnyObject } from './kube';
import type { AbsenceEvidence, Evidence, RbacEvidence, Severity } from './evidence';
import { containerItem, type Container } from './workload-types';
import type { NodeView, NodesModel } from './node';

export type Mappings = {
  cis: readonly string[];
  iso27001: readonly string[];
  nsa?: readonly string[];
  pss?: 'baseline' | 'restricted';
};

/** What each kind of control is handed, one at a time. */
export type ControlTargets = {
  workload: Workload;
  binding: BindingView;
  role: RoleView;
  namespace: NamespaceView;
  serviceAccount: KubeObject;
  service: KubeObject;
  ingress: KubeObject;
  secret: SecretMeta;
  configMap: ConfigMapMeta;
  networkPolicy: NetworkPolicyTarget;
  /** Every object of the snapshot except Pods and controllers owned by a workload (their metadata is its template's). */
  object: AnyObject;
  node: NodeView;
};
export type TargetType = keyof ControlTargets;

/** Read-only view of the whole snapshot, for checks that need more than their target. */
export type CheckContext = {
  now: Date;
  allowedRegistries: readonly string[] | undefined;
  rbac: RbacModel;
  isCollected: (resource: ResourceName) => boolean;
  findServiceAccount: (namespace: string, name: string) => KubeObject | undefined;
  policiesIn: (namespace: string) => readonly NetworkPolicyView[];
  /** The workloads running in a namespace (namespace controls that judge what runs there). */
  workloadsIn: (namespace: string) => readonly Workload[];
  /** The nodes' reports (CIS sections 1-4), empty when the node collector sent none. */
  nodes: NodesModel;
};

/** One problem a check found on its target. `item` names the offending thing for the fingerprint. */
export type Violation = {
  message: string;
  evidence: Evidence;
  item: string;
  severity?: Severity;
};

export type ControlDefinition<T extends TargetType> = {
  /** Stable forever: findings, risk acceptances and history hang on it. */
  id: string;
  /** Bump when the check's logic changes meaning (it changes CATALOG_VERSION). */
  version: number;
  title: string;
  description: string;
  rationale: string;
  remediation: string;
  severity: Severity;
  kinds: readonly string[];
  mappings: Mappings;
  /** Snapshot lists the check needs; if one was not collected the control is not applicable, never a pass. */
  requires: readonly ResourceName[];
  target: T;
  /** Returns why the control cannot run for these options (e.g. no allowed-registry list), or undefined. */
  notApplicableReason?: (ctx: CheckContext) => string | undefined;
  /** Returns why the provider, not the customer, is responsible (a managed control plane), or undefined. */
  providerResponsibility?: (ctx: CheckContext) => string | undefined;
  /** Targets the check speaks to (e.g. nodes that run the component); the others are not counted as evaluated. */
  appliesTo?: (target: ControlTargets[T]) => boolean;
  check: (target: ControlTargets[T], ctx: CheckContext) => Violation[];
};

export type Control = { [T in TargetType]: ControlDefinition<T> }[TargetType];

export function defineControl<T extends TargetType>(definition: ControlDefinition<T>): ControlDefinition<T> {
  return definition;
}

/** A violation on a field of a container: the fingerprint follows the container's name, not its position. */
export function containerViolation(container: Container, field: string, message: string, value: JsonValue): Violation {
  const path = container.path(field);
  return {
    message,
    // Two literals rather than a spread: every container finding of a cluster comes through here.
    evidence: container.pod ? { type: 'path', path, value, object: { kind: 'Pod', name: container.pod } } : { type: 'path', path, value },
    item: containerItem(container, field),
  };
}

/** A violation on a field of the target itself. */
export function violation(message: string, path: string, value: JsonValue, item: string = path): Violation {
  return { message, evidence: { type: 'path', path, value }, item };
}

export function absence(message: string, expected: string, item: string, searched?: AbsenceEvidence['searched']): Violation {
  return { message, evidence: { type: 'absence', expected, ...(searched ? { searched } : {}) }, item };
}

/** The RBAC evidence chain for a subject of a binding and the rule that grants it. */
export function rbacEvidence(binding: BindingView, subject: RbacSubject, effective: EffectiveRule | undefined): RbacEvidence {
  const rule = effective?.rule;
  return {
    type: 'rbac',
    subject,
    binding: { kind: binding.kind, namespace: binding.namespace, name: binding.name },
    role: { kind: binding.roleRef.kind, name: binding.roleRef.name },
    rule: rule
      ? {
          apiGroups: rule.apiGroups,
          resources: rule.resources,
          verbs: rule.verbs,
          ...(rule.resourceNames.length > 0 ? { resourceNames: rule.resourceNames } : {}),
          ...(rule.nonResourceURLs.length > 0 ? { nonResourceURLs: rule.nonResourceURLs } : {}),
        }
      : { apiGroups: [], resources: [], verbs: [] },
    ...(effective?.viaAggregation ? { viaAggregation: effective.viaAggregation } : {}),
  };
}

export function subjectItem(subject: RbacSubject): string {
  return `${subject.kind}:${subject.namespace ?? ''}:${subject.name}`;
}

