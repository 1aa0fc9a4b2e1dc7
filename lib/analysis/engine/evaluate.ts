import { CATALOG, CATALOG_VERSION } from '@/lib/analysis/controls/catalog';
import type { CheckContext, ControlDefinition, ControlTargets, TargetType } from '@/lib/analysis/model/control';
import { ParseIssue } from '@/lib/analysis/model/json';
import { isPlatformDefault, PLATFORM_NAMESPACES, refOf, type AnyObject, type ResourceRef } from '@/lib/analysis/model/kube';
import { bootstrapClusterRoles } from '@/lib/analysis/model/rbac/bootstrap';
import { RbacModel } from '@/lib/analysis/model/rbac/model';
import { indexSnapshot, type SnapshotIndex } from '@/lib/analysis/model/snapshot-index';
import type { KubeObject, Snapshot } from '@/lib/analysis/snapshot/schema';
import { fingerprintOf } from './fingerprint';
import { requirementResultsFor } from './requirements';
import type { ControlOutcome, EngineFinding, EvaluateOptions, EvaluationResult, ParseError } from './types';

type Target<T extends TargetType> = { target: ControlTargets[T]; ref: ResourceRef; isPlatform: boolean };

/**
 * Evaluates every catalog control (or options.controlIds) against a snapshot and scores the frameworks.
 * Pure: no clock (options.now), no env, no I/O. An object that cannot be read is listed in parseErrors and
 * skipped; evaluate never throws because of snapshot content.
 */
export function evaluate(snapshot: Snapshot, options: EvaluateOptions): EvaluationResult {
  const parseErrors: ParseError[] = [];
  const reportError = (object: AnyObject, error: unknown) => parseErrors.push({ resource: refOf(object), message: messageOf(error) });

  const index = indexSnapshot(snapshot, reportError);
  const rbac = new RbacModel(
    { ...snapshot.objects, assumedClusterRoles: snapshot.agent.mode === 'offline' ? bootstrapClusterRoles() : [] },
    reportError,
  );
  const ctx: CheckContext = {
    now: options.now,
    allowedRegistries: options.allowedRegistries,
    rbac,
    isCollected: index.isCollected,
    findServiceAccount: index.findServiceAccount,
    policiesIn: index.policiesIn,
  };
  const targets = targetLists(index, rbac);
  const includePlatform = options.includePlatform === true;
  const wanted = options.controlIds ? new Set(options.controlIds) : undefined;

  const findings: EngineFinding[] = [];
  const seen = new Set<string>();
  const controls: ControlOutcome[] = [];
  for (const control of CATALOG) {
    if (wanted && !wanted.has(control.id)) continue;
    const missing = control.requires.filter((resource) => !index.isCollected(resource));
    if (missing.length > 0) {
      controls.push({ controlId: control.id, status: 'not_applicable', reason: missing.map((r) => index.collectionReason(r)).join('; '), evaluated: 0, findings: 0 });
      continue;
    }
    const notApplicable = control.notApplicableReason?.(ctx);
    if (notApplicable) {
      controls.push({ controlId: control.id, status: 'not_applicable', reason: notApplicable, evaluated: 0, findings: 0 });
      continue;
    }
    const run = <T extends TargetType>(definition: ControlDefinition<T>, list: readonly Target<T>[]) =>
      runControl(definition, list, ctx, includePlatform, findings, seen, parseErrors);
    let tally: { evaluated: number; findings: number };
    switch (control.target) {
      case 'workload':
        tally = run(control, targets.workload());
        break;
      case 'binding':
        tally = run(control, targets.binding());
        break;
      case 'role':
        tally = run(control, targets.role());
        break;
      case 'namespace':
        tally = run(control, targets.namespace());
        break;
      case 'serviceAccount':
        tally = run(control, targets.serviceAccount());
        break;
      case 'service':
        tally = run(control, targets.service());
        break;
      case 'ingress':
        tally = run(control, targets.ingress());
        break;
      case 'secret':
        tally = run(control, targets.secret());
        break;
    }
    controls.push({ controlId: control.id, status: tally.findings > 0 ? 'fail' : 'pass', ...tally });
  }

  const { requirements, scores } = requirementResultsFor(
    controls.map((outcome) => ({ ...outcome, openFindings: outcome.findings, acceptedFindings: 0 })),
    options.frameworks,
  );
  return { catalogVersion: CATALOG_VERSION, findings, controls, requirements, scores, parseErrors };
}

function runControl<T extends TargetType>(
  control: ControlDefinition<T>,
  targets: readonly Target<T>[],
  ctx: CheckContext,
  includePlatform: boolean,
  findings: EngineFinding[],
  seen: Set<string>,
  parseErrors: ParseError[],
): { evaluated: number; findings: number } {
  let evaluated = 0;
  let found = 0;
  for (const { target, ref, isPlatform } of targets) {
    if (isPlatform && !includePlatform) continue;
    evaluated += 1;
    let violations;
    try {
      violations = control.check(target, ctx);
    } catch (error) {
      parseErrors.push({ resource: ref, message: `${control.id}: ${messageOf(error)}` });
      continue;
    }
    for (const violation of violations) {
      const fingerprint = fingerprintOf(control.id, ref, violation.item);
      // A Deployment's template and the ephemeral containers of its Pods can yield the same problem twice.
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      found += 1;
      findings.push({
        controlId: control.id,
        severity: violation.severity ?? control.severity,
        resource: ref,
        message: violation.message,
        evidence: violation.evidence,
        remediation: control.remediation,
        fingerprint,
        isPlatform,
      });
    }
  }
  return { evaluated, findings: found };
}

/** Target lists per control kind, built once on first use. */
function targetLists(index: SnapshotIndex, rbac: RbacModel) {
  const once = <T>(build: () => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };
  const plain = (list: readonly KubeObject[]) => list.map((object) => ({ target: object, ref: refOf(object), isPlatform: isPlatformDefault(object) }));
  return {
    workload: once((): Target<'workload'>[] => index.workloads.map((w) => ({ target: w, ref: refOf(w.object), isPlatform: isPlatformDefault(w.object) }))),
    binding: once((): Target<'binding'>[] => rbac.bindings.map((b) => ({ target: b, ref: refOf(b.object), isPlatform: isPlatformDefault(b.object) }))),
    role: once((): Target<'role'>[] =>
      rbac.roles.filter((r) => !r.assumed).map((r) => ({ target: r, ref: refOf(r.object), isPlatform: isPlatformDefault(r.object) })),
    ),
    namespace: once((): Target<'namespace'>[] =>
      index.namespaces.map((ns) => ({
        target: ns,
        ref: ns.object ? refOf(ns.object) : { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: ns.name, uid: null },
        isPlatform: ns.object ? isPlatformDefault(ns.object) : PLATFORM_NAMESPACES.has(ns.name),
      })),
    ),
    serviceAccount: once((): Target<'serviceAccount'>[] => plain(index.objects.serviceaccounts)),
    service: once((): Target<'service'>[] => plain(index.objects.services)),
    ingress: once((): Target<'ingress'>[] => plain(index.objects.ingresses)),
    secret: once((): Target<'secret'>[] =>
      index.objects.secrets.map((secret) => ({ target: secret, ref: refOf(secret), isPlatform: isPlatformDefault(secret) })),
    ),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof ParseIssue) return error.message;
  return error instanceof Error ? `could not be evaluated: ${error.message}` : 'could not be evaluated';
}

