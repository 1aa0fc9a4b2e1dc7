import { CATALOG, findControl } from '@/lib/analysis/controls/catalog';
import {
  admissionControlTitle, evaluate, evaluateClusterAdmissionPolicies, importPolicyReports,
  type AdmissionPolicyOverview, type EngineFinding, type EvaluationResult, type Evidence, type Severity,
} from '@/lib/analysis/engine';
import { importedControlTitle } from '@/lib/analysis/model/policy-report';
import { requirementIdsOf, type FrameworkId } from '@/lib/analysis/frameworks';
import { buildSnapshot, type SkippedObject } from '@/lib/analysis/snapshot/build';
import { readManifestPaths } from './manifests';

export type ScanOptions = {
  paths: string[];
  frameworks?: FrameworkId[];
  controlIds?: string[];
  includePlatform?: boolean;
  allowedRegistries?: string[];
  now: Date;
};

/** One finding as the CLI prints it: the control's metadata next to the problem. */
export type ScanFinding = {
  controlId: string;
  title: string;
  severity: Severity;
  cis: string[];
  iso27001: string[];
  resource: { apiVersion: string; kind: string; namespace: string | null; name: string };
  message: string;
  evidence: Evidence;
  remediation: string;
};

/** A finding the manifest itself accepts, with its reason (ACCEPTED_EXCEPTION_PREFIX): listed, never silent. */
export type ScanAcceptedFinding = ScanFinding & { reason: string };

/**
 * `exception.bulwark.dev/<control id>: <reason>` on an object accepts that control's findings on it, in the
 * scan's output: they move from `findings` to `accepted` with the reason, so a reviewer sees what was allowed and
 * why (agent/deploy/node: the node collector's host access). An empty reason accepts nothing.
 */
export const ACCEPTED_EXCEPTION_PREFIX = 'exception.bulwark.dev/';

export type ScanReport = {
  summary: {
    paths: string[];
    objects: number;
    skipped: SkippedObject[];
    catalogVersion: string;
    controls: { evaluated: number; passed: number; failed: number; notApplicable: number };
    findings: Record<Severity, number> & { total: number };
    accepted: number;
    scores: EvaluationResult['scores'];
    parseErrors: EvaluationResult['parseErrors'];
    /**
     * The ValidatingAdmissionPolicies among the manifests, judged against the other manifests as the cluster would
     * judge them at admission (controls `vap.<policy>`); imported PolicyReport results are controls
     * `policyreport.<engine>.<policy>`. Neither maps to a framework, so a --framework or --control filter leaves
     * them out.
     */
    admissionPolicies: AdmissionPolicyOverview[];
  };
  findings: ScanFinding[];
  accepted: ScanAcceptedFinding[];
};

/** Thrown for input the scan cannot work with (no objects at all); the CLI turns it into exit code 2. */
export class ScanInputError extends Error {}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Scans manifests (YAML, JSON or `kubectl get -o json` output) the way the agent would see them in a cluster:
 * through the offline reader and buildSnapshot, so Secrets become metadata and credential-like values are
 * redacted before any control looks at them.
 */
export async function scanManifests(options: ScanOptions): Promise<ScanReport> {
  const raw = await readManifestPaths(options.paths);
  const { snapshot, skipped } = buildSnapshot({
    objects: raw,
    cluster: { uid: 'offline', name: 'offline', provider: 'offline' },
    collectedAt: options.now,
    agentVersion: 'scan',
    mode: 'offline',
  });
  const objects = Object.values(snapshot.objects).reduce((sum, list) => sum + list.length, 0);
  if (objects === 0) {
    const reason = skipped.length > 0 ? `; skipped: ${skipped.slice(0, 3).map((s) => `${s.kind} ${s.name} (${s.reason})`).join(', ')}` : '';
    throw new ScanInputError(`${options.paths.join(', ')}: no Kubernetes objects Bulwark can check${reason}`);
  }
  const result = evaluate(snapshot, {
    now: options.now,
    includePlatform: options.includePlatform,
    allowedRegistries: options.allowedRegistries,
    controlIds: options.controlIds ?? controlIdsOf(options.frameworks),
    frameworks: options.frameworks,
  });
  // The manifests' own admission policies and imported PolicyReports, as the worker evaluates them (issue 23).
  const unfiltered = !options.controlIds && !(options.frameworks && options.frameworks.length > 0);
  const admission = unfiltered ? evaluateClusterAdmissionPolicies(snapshot, { includePlatform: options.includePlatform, manifests: true }) : null;
  const imported = unfiltered ? importPolicyReports(snapshot, { includePlatform: options.includePlatform }) : null;
  const controls = [...result.controls, ...(admission?.controls ?? []), ...(imported?.controls ?? [])];
  const parseErrors = [...result.parseErrors, ...(admission?.parseErrors ?? []), ...(imported?.parseErrors ?? [])];
  const annotations = new Map<string, Record<string, string>>();
  for (const list of Object.values(snapshot.objects)) {
    for (const object of list) annotations.set(`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, object.metadata.annotations ?? {});
  }
  const reasonOf = (finding: ScanFinding): string | undefined => {
    const reason = annotations.get(`${finding.resource.kind}/${finding.resource.namespace ?? ''}/${finding.resource.name}`)?.[`${ACCEPTED_EXCEPTION_PREFIX}${finding.controlId}`];
    return reason?.trim() ? reason.trim() : undefined;
  };
  const all = [...result.findings, ...(admission?.findings ?? []), ...(imported?.findings ?? [])]
    .map((finding: EngineFinding): ScanFinding => {
      const control = findControl(finding.controlId);
      return {
        controlId: finding.controlId,
        title: control?.title ?? admissionControlTitle(finding.controlId) ?? importedControlTitle(finding.controlId) ?? finding.controlId,
        severity: finding.severity,
        cis: [...(control?.mappings.cis ?? [])],
        iso27001: [...(control?.mappings.iso27001 ?? [])],
        resource: { apiVersion: finding.resource.apiVersion, kind: finding.resource.kind, namespace: finding.resource.namespace, name: finding.resource.name },
        message: finding.message,
        evidence: finding.evidence,
        remediation: finding.remediation,
      };
    })
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  const accepted: ScanAcceptedFinding[] = [];
  const findings: ScanFinding[] = [];
  for (const finding of all) {
    const reason = reasonOf(finding);
    if (reason) accepted.push({ ...finding, reason });
    else findings.push(finding);
  }
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) bySeverity[finding.severity] += 1;
  const count = (status: string) => controls.filter((c) => c.status === status).length;
  return {
    summary: {
      paths: options.paths,
      objects,
      skipped,
      catalogVersion: result.catalogVersion,
      controls: { evaluated: controls.length, passed: count('pass'), failed: count('fail'), notApplicable: count('not_applicable') },
      findings: { ...bySeverity, total: findings.length },
      accepted: accepted.length,
      scores: result.scores,
      parseErrors,
      admissionPolicies: admission?.overview.policies ?? [],
    },
    findings,
    accepted,
  };
}

/** With a framework filter, the controls mapped to at least one of its requirements. */
function controlIdsOf(frameworks: FrameworkId[] | undefined): string[] | undefined {
  if (!frameworks || frameworks.length === 0) return undefined;
  return CATALOG.filter((control) => frameworks.some((framework) => requirementIdsOf(control, framework).length > 0)).map((control) => control.id);
}
