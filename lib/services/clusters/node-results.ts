import { requirementResultsFor, type ControlTally } from '../../analysis/engine';
import { CIS_NODE_CONTROLS } from '../../analysis/controls/node/cis-node-controls';
import type { FrameworkId } from '../../analysis/frameworks';
import { nodeViewOf } from '../../analysis/model/node';
import type { NodeReport } from '../../analysis/snapshot/node-report';

/** One node's CIS sections 1-4 items (in the organization's benchmark version), counted by result. */
export type NodeCisResults = {
  pass: number;
  fail: number;
  /** Passed only because every finding on this node is risk-accepted (counted in pass too). */
  accepted: number;
  /** A managed provider runs the control plane: neither passed nor failed. */
  providerResponsibility: number;
  /** Items no check of this node decides (it does not run the component, or no node collector data for it). */
  notAssessed: number;
};

/** Findings still counted on one node, per control: open (or acknowledged) and risk-accepted. */
export type NodeFindingCounts = ReadonlyMap<string, { open: number; accepted: number }>;

/**
 * A node's CIS sections 1-4 results, by item of `frameworkId`: each node control's outcome on this node (the
 * cluster's current evaluation says whether the control ran, or is the provider's; the control's own rule whether it
 * reads this node; this node's findings whether it failed, with risk acceptances applied), then the benchmark's
 * items from those controls as the engine scores them. Pure.
 */
export function nodeCisResults(report: NodeReport, outcomes: ReadonlyMap<string, ControlTally>, findings: NodeFindingCounts, frameworkId: FrameworkId): NodeCisResults {
  const view = nodeViewOf(report);
  const tallies: ControlTally[] = [];
  for (const control of CIS_NODE_CONTROLS) {
    const outcome = outcomes.get(control.id);
    if (!outcome) continue;
    if (outcome.status === 'provider_responsibility' || outcome.status === 'not_applicable') {
      tallies.push({ controlId: control.id, status: outcome.status, reason: outcome.reason, openFindings: 0, acceptedFindings: 0 });
      continue;
    }
    if (control.appliesTo && !control.appliesTo(view)) {
      tallies.push({ controlId: control.id, status: 'not_applicable', openFindings: 0, acceptedFindings: 0 });
      continue;
    }
    const counts = findings.get(control.id) ?? { open: 0, accepted: 0 };
    const failed = counts.open + counts.accepted > 0;
    tallies.push({ controlId: control.id, status: failed ? 'fail' : 'pass', openFindings: counts.open, acceptedFindings: counts.accepted });
  }
  const results: NodeCisResults = { pass: 0, fail: 0, accepted: 0, providerResponsibility: 0, notAssessed: 0 };
  const { requirements } = requirementResultsFor(tallies, [frameworkId]);
  for (const requirement of requirements) {
    if (!/^[1-4]\./.test(requirement.requirementId)) continue;
    if (requirement.status === 'pass') {
      results.pass += 1;
      if (requirement.acceptedControlIds.length > 0) results.accepted += 1;
    } else if (requirement.status === 'fail') results.fail += 1;
    else if (requirement.status === 'provider_responsibility') results.providerResponsibility += 1;
    else results.notAssessed += 1;
  }
  return results;
}
