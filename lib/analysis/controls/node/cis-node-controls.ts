import checksData from './data/cis-k8s-node-checks.json';
import { defineControl, type CheckContext, type ControlDefinition, type Violation } from '@/lib/analysis/model/control';
import type { Severity } from '@/lib/analysis/model/evidence';
import { MANAGED_PROVIDER_NAMES, type NodeView } from '@/lib/analysis/model/node';
import { badFiles, componentLabel, nodeAnswers, runFlags, secretsProvider, type CheckSpec } from './node-checks';

/**
 * The CIS Kubernetes Benchmark's sections 1-4 (control plane, etcd, control-plane configuration, worker nodes),
 * one control per distinct audit.
 *
 * Why these controls are generated from data instead of written one file each, as the other controls are: the ~95
 * audits come in four shapes only ("flag X of component C is set / is V / includes V", "the files of role R have
 * mode <= M", "... are owned by U:G", and the encryption providers), and their ids, conditions and versions come
 * from kube-bench's configuration (data/cis-k8s-node-checks.json, derived by scripts/derive-cis-node-data.py; provenance in data/PROVENANCE.md). Written
 * by hand they would be 95 copies of the same three checks that drift from the data. Each one is still its own
 * control: its own stable id (the check key, e.g. `node.apiserver.anonymous-auth`), title, rationale, remediation,
 * severity, ISO/IEC 27001 mapping (Prowler's or Bulwark's, `isoSource` in the data) and evidence naming the node,
 * the component, the flag or file and what was observed. The check semantics are unit-tested per shape with
 * passing and failing cases (node-controls.test.ts), and against kube-bench's own test cases
 * (test/conformance/cis-node).
 */

type CheckData = {
  title: string;
  nodeType: 'master' | 'etcd' | 'controlplane' | 'node';
  rationale: string;
  remediation: string;
  iso27001: string[];
  /** The item ids that use this check, per benchmark version. */
  cis: Partial<Record<string, string[]>>;
  spec: CheckSpec;
};

const CHECKS = checksData.checks as unknown as Record<string, CheckData>;


/** Who may call or impersonate, and the files that hold control-plane credentials, matter most. */
const HIGH = /anonymous-auth|authorization-mode|token-auth-file|client-cert-auth|admin-kubeconfig|pki-key|encryption-providers|kubelet-client-certificate|client-ca-file/;
const LOW = /profiling|event-qps|pod-max-pids|terminated-pod-gc|hostname-override|seccomp-default|streaming-connection|eventratelimit|audit-log-max/;

function severityOf(key: string): Severity {
  if (HIGH.test(key)) return 'high';
  if (LOW.test(key)) return 'low';
  return 'medium';
}

const CONTROL_PLANE_TYPES = new Set(['master', 'etcd', 'controlplane']);

function whatItNeeds(spec: CheckSpec): string {
  switch (spec.kind) {
    case 'flags':
      return `a node running ${componentLabel(spec.component)}`;
    case 'file':
      return `a node with the ${spec.roles.join(' or ')} file${spec.roles.length > 1 ? 's' : ''}`;
    case 'encryption-providers':
      return 'a node running kube-apiserver';
  }
}

/** kube-bench runs the master, etcd and controlplane audits on control-plane nodes only, the node audits on every node. */
function answers(spec: CheckSpec, controlPlane: boolean, node: NodeView): boolean {
  return (!controlPlane || node.role === 'control-plane') && nodeAnswers(spec, node);
}

function notApplicable(spec: CheckSpec, controlPlane: boolean, ctx: CheckContext): string | undefined {
  if (ctx.nodes.nodes.length === 0) return 'No node report: run the node collector (agent/deploy/node) to assess CIS sections 1-4.';
  if (!ctx.nodes.nodes.some((node) => answers(spec, controlPlane, node))) {
    return `No node report comes from ${controlPlane ? 'a control-plane node' : 'a node'} with what this audit reads (${whatItNeeds(spec)}).`;
  }
  return undefined;
}

function checkNode(key: string, data: CheckData, node: NodeView): Violation[] {
  const spec = data.spec;
  switch (spec.kind) {
    case 'flags': {
      const { pass, observed } = runFlags(spec, node);
      if (pass) return [];
      const first = observed[0];
      if (!first) return [];
      const seen = observed.map((o) => `${o.source} ${o.value === null ? 'not set' : `= ${o.value}`}`).join('; ');
      return [{
        message: `node ${node.name}: ${seen} (expected: ${data.title.split(': ').slice(1).join(': ')})`,
        evidence: { type: 'path', path: first.path, value: first.value, object: { kind: 'Node', name: node.name } },
        item: key,
      }];
    }
    case 'file':
      return badFiles(spec, node).map(({ file, observed }) => ({
        message:
          spec.property === 'mode'
            ? `node ${node.name}: ${file.path} has mode ${observed} (at most ${spec.maxMode} expected)`
            : `node ${node.name}: ${file.path} is owned by ${observed} (${spec.owner} expected)`,
        evidence: { type: 'path', path: `files[${file.path}].${spec.property}`, value: observed, object: { kind: 'Node', name: node.name } },
        item: `${key}:${file.path}`,
      }));
    case 'encryption-providers': {
      const provider = secretsProvider(node);
      if (provider === undefined) return [];
      if (!provider.configured) {
        return [{
          message: `node ${node.name}: kube-apiserver has no --encryption-provider-config; Secrets are stored unencrypted in etcd`,
          evidence: { type: 'path', path: provider.path, value: null, object: { kind: 'Node', name: node.name } },
          item: key,
        }];
      }
      if (provider.first !== null && spec.allowed.includes(provider.first)) return [];
      return [{
        message: `node ${node.name}: Secrets are written with the ${provider.first ?? 'no'} provider first (${spec.allowed.join(', ')} expected)`,
        evidence: { type: 'path', path: provider.path, value: provider.first, object: { kind: 'Node', name: node.name } },
        item: key,
      }];
    }
  }
}

function controlOf(key: string, data: CheckData): ControlDefinition<'node'> {
  const spec = data.spec;
  const controlPlane = CONTROL_PLANE_TYPES.has(data.nodeType);
  return defineControl({
    id: key,
    version: 1,
    title: data.title,
    description: `CIS Kubernetes Benchmark sections 1-4 audit, read from each node's report: ${data.title}.`,
    rationale: data.rationale,
    remediation: data.remediation,
    severity: severityOf(key),
    kinds: ['Node'],
    // `cis` holds v1.9 ids (the framework cis-k8s-1.9); frameworks/cis-k8s.ts finds v1.12's by the check key.
    mappings: { cis: data.cis['1.9'] ?? [], iso27001: data.iso27001 },
    requires: [],
    target: 'node',
    providerResponsibility: controlPlane
      ? (ctx) => {
          const provider = ctx.nodes.managedProvider;
          return provider
            ? `${MANAGED_PROVIDER_NAMES[provider]} runs the control plane: the provider configures and operates it, and its nodes are not visible to the customer (shared responsibility).`
            : undefined;
        }
      : undefined,
    notApplicableReason: (ctx) => notApplicable(spec, controlPlane, ctx),
    appliesTo: (node) => answers(spec, controlPlane, node),
    check: (node) => checkNode(key, data, node),
  });
}

/** Every sections 1-4 control, in the data's order (benchmark order of first appearance). */
export const CIS_NODE_CONTROLS: readonly ControlDefinition<'node'>[] = Object.entries(CHECKS).map(([key, data]) => controlOf(key, data));
