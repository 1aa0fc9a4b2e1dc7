import { compileRule, runRule } from '@/lib/analysis/cel';
import { CATALOG, CATALOG_VERSION } from '@/lib/analysis/controls/catalog';
import type { CheckContext, ControlDefinition, ControlTargets, TargetType, Violation } from '@/lib/analysis/model/control';
import { ParseIssue } from '@/lib/analysis/model/json';
import { isPlatformDefault, PLATFORM_NAMESPACES, POD_BEARING_RESOURCES, refOf, type AnyObject, type ResourceRef } from '@/lib/analysis/model/kube';
import { bootstrapClusterRoles } from '@/lib/analysis/model/rbac/bootstrap';
import { RbacModel } from '@/lib/analysis/model/rbac/model';
import { nodesModelOf, type NodesModel } from '@/lib/analysis/model/node';
import { indexSnapshot, type SnapshotIndex } from '@/lib/analysis/model/snapshot-index';
import { RESOURCE_NAMES, type ResourceName, type Snapshot } from '@/lib/analysis/snapshot/schema';
import { fingerprintOf } from './fingerprint';
import { requirementResultsFor } from './requirements';
import type { ControlOutcome, CustomControlInput, EngineFinding, EvaluateOptions, EvaluationResult, ParseError } from './types';

/**
 * `repeated`: another target of the list may have the same identity (a snapshot that repeats an object), so its
 * findings are told apart by fingerprint; every other target's findings are distinct by construction.
 */
type Target<T extends TargetType> = { target: ControlTargets[T]; isPlatform: boolean; repeated: boolean } & TargetRef;

/**
 * The reference findings name: made when a target first yields one (most targets pass every control, and a reference
 * per object is 147,000 objects at L), from `object`; or given (a namespace without an object, a node).
 */
type TargetRef = { ref: ResourceRef; object?: undefined } | { ref?: ResourceRef; object: AnyObject };

function refOfTarget(entry: TargetRef): ResourceRef {
  if (entry.object === undefined) return entry.ref;
  return (entry.ref ??= refOf(entry.object));
}

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
    workloadsIn: index.workloadsIn,
    nodes: nodesModelOf(options.nodeReports ?? [], snapshot.objects.nodes),
  };
  const targets = targetLists(index, rbac, ctx.nodes);
  const includePlatform = options.includePlatform === true;
  const wanted = options.controlIds ? new Set(options.controlIds) : undefined;

  const findings: EngineFinding[] = [];
  const seen = new Set<string>();
  const controls: ControlOutcome[] = [];
  // Each control's status first: skipped ones (not collected, provider's, not applicable) are not run.
  const chosen: AnyControl[] = [];
  const skipped = new Map<AnyControl, ControlOutcome>();
  for (const control of CATALOG) {
    if (wanted && !wanted.has(control.id)) continue;
    const outcome = skippedOutcome(control, index, ctx);
    if (outcome) skipped.set(control, outcome);
    chosen.push(control);
  }
  // Controls run target by target (every control of a target type on one target, then the next), not control by
  // control: a target's model is then read from cache by all of them instead of being fetched from memory once per
  // control (about 35 passes over the models of 50,000 pods at L: this order made evaluate() about 10% faster).
  // Findings and errors are kept per control and appended in catalog order, so the result is the same as running
  // the controls one after the other.
  const runs = new Map<AnyControl, ControlRun>();
  const byType = new Map<TargetType, AnyControl[]>();
  for (const control of chosen) {
    if (skipped.has(control)) continue;
    const group = byType.get(control.target);
    if (group) group.push(control);
    else byType.set(control.target, [control]);
  }
  const run = <T extends TargetType>(group: AnyControl[], type: T, list: readonly Target<T>[]) =>
    runGroup(group.filter((control): control is AnyControl & ControlDefinition<T> => control.target === type), list, ctx, includePlatform, seen, runs);
  for (const [type, group] of byType) {
    switch (type) {
      case 'workload':
        run(group, type, targets.workload());
        break;
      case 'binding':
        run(group, type, targets.binding());
        break;
      case 'role':
        run(group, type, targets.role());
        break;
      case 'namespace':
        run(group, type, targets.namespace());
        break;
      case 'serviceAccount':
        run(group, type, targets.serviceAccount());
        break;
      case 'service':
        run(group, type, targets.service());
        break;
      case 'ingress':
        run(group, type, targets.ingress());
        break;
      case 'secret':
        run(group, type, targets.secret());
        break;
      case 'configMap':
        run(group, type, targets.configMap());
        break;
      case 'networkPolicy':
        run(group, type, targets.networkPolicy());
        break;
      case 'object':
        run(group, type, targets.object());
        break;
      case 'node':
        run(group, type, targets.node());
        break;
    }
  }
  for (const control of chosen) {
    const outcome = skipped.get(control);
    if (outcome) {
      controls.push(outcome);
      continue;
    }
    const ran = runs.get(control) as ControlRun;
    for (const finding of ran.findings) findings.push(finding);
    for (const error of ran.errors) parseErrors.push(error);
    controls.push({ controlId: control.id, status: ran.tally.findings > 0 ? 'fail' : 'pass', ...ran.tally });
  }
  for (const custom of options.customControls ?? []) {
    if (wanted && !wanted.has(custom.id)) continue;
    controls.push(runCustomControl(custom, snapshot, index, options, includePlatform, findings, seen, parseErrors));
  }

  const { requirements, scores } = requirementResultsFor(
    controls.map((outcome) => ({ ...outcome, openFindings: outcome.findings, acceptedFindings: 0 })),
    options.frameworks,
  );
  return { catalogVersion: CATALOG_VERSION, findings, controls, requirements, scores, parseErrors };
}

type AnyControl = (typeof CATALOG)[number];
type Tally = { evaluated: number; findings: number };

/** The outcome of a control that is not run on this snapshot, or undefined when it runs. */
function skippedOutcome(control: AnyControl, index: SnapshotIndex, ctx: CheckContext): ControlOutcome | undefined {
  const missing = control.requires.filter((resource) => !index.isCollected(resource));
  if (missing.length > 0) return { controlId: control.id, status: 'not_applicable', reason: missing.map((r) => index.collectionReason(r)).join('; '), evaluated: 0, findings: 0 };
  const provider = control.providerResponsibility?.(ctx);
  if (provider) return { controlId: control.id, status: 'provider_responsibility', reason: provider, evaluated: 0, findings: 0 };
  const notApplicable = control.notApplicableReason?.(ctx);
  if (notApplicable) return { controlId: control.id, status: 'not_applicable', reason: notApplicable, evaluated: 0, findings: 0 };
  return undefined;
}

type ControlRun = { tally: Tally; findings: EngineFinding[]; errors: ParseError[] };

/** The controls of one target type over its targets, target by target (see evaluate); one ControlRun each. */
function runGroup<T extends TargetType>(
  controls: readonly (AnyControl & ControlDefinition<T>)[],
  targets: readonly Target<T>[],
  ctx: CheckContext,
  includePlatform: boolean,
  seen: Set<string>,
  runs: Map<AnyControl, ControlRun>,
): void {
  const group = controls.map((): ControlRun => ({ tally: { evaluated: 0, findings: 0 }, findings: [], errors: [] }));
  // Indexes, not for...of: this loop runs millions of times at L and its iterator results were not optimized away.
  for (let t = 0; t < targets.length; t++) {
    const entry = targets[t] as Target<T>;
    if (entry.isPlatform && !includePlatform) continue;
    for (let c = 0; c < controls.length; c++) {
      const control = controls[c] as ControlDefinition<T>;
      // Targets the control does not speak to (a node without the component) are not counted as evaluated.
      if (control.appliesTo && !control.appliesTo(entry.target)) continue;
      const run = group[c] as ControlRun;
      checkTarget(control, entry, ctx, run.tally, run.findings, seen, run.errors);
    }
  }
  controls.forEach((control, c) => runs.set(control, group[c] as ControlRun));
}

/** One control on one target: its violations as findings (one per item), counted in the tally. */
function checkTarget<T extends TargetType>(
  control: ControlDefinition<T>,
  entry: Target<T>,
  ctx: CheckContext,
  tally: Tally,
  findings: EngineFinding[],
  seen: Set<string>,
  parseErrors: ParseError[],
): void {
  tally.evaluated += 1;
  let violations;
  try {
    violations = control.check(entry.target, ctx);
  } catch (error) {
    parseErrors.push({ resource: refOfTarget(entry), message: `${control.id}: ${messageOf(error)}` });
    return;
  }
  if (violations.length === 0) return;
  const { isPlatform, repeated } = entry;
  const ref = refOfTarget(entry);
  // A Deployment's template and the ephemeral containers of its Pods can yield the same problem twice.
  const items = violations.length > LINEAR_ITEM_CHECK ? new Set<string>() : undefined;
  for (let i = 0; i < violations.length; i++) {
    const violation = violations[i] as Violation;
    if (items ? items.size === items.add(violation.item).size : i > 0 && itemRepeats(violations, i)) continue;
    const fingerprint = fingerprintOf(control.id, ref, violation.item);
    if (repeated) {
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
    }
    tally.findings += 1;
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

/** A target yields a few violations: up to this many, an earlier one with the same item is looked for by a scan. */
const LINEAR_ITEM_CHECK = 16;

function itemRepeats(violations: readonly Violation[], at: number): boolean {
  const item = (violations[at] as Violation).item;
  for (let i = 0; i < at; i++) if ((violations[i] as Violation).item === item) return true;
  return false;
}

/**
 * One organization control (lib/analysis/cel): compiled here (it compiled when saved; a newer CEL library could
 * still refuse it), run with its time limits. Runtime errors are listed on the outcome and in parseErrors; a control
 * that failed on some objects and found nothing is not_applicable with the reason, never a silent pass.
 */
function runCustomControl(
  custom: CustomControlInput,
  snapshot: Snapshot,
  index: SnapshotIndex,
  options: EvaluateOptions,
  includePlatform: boolean,
  findings: EngineFinding[],
  seen: Set<string>,
  parseErrors: ParseError[],
): ControlOutcome {
  const base = { controlId: custom.id, controlVersion: custom.version, ...(custom.requirementIds?.length ? { requirementIds: custom.requirementIds } : {}) };
  const compiled = compileRule(custom.rule);
  if (!compiled.ok) {
    const errors = compiled.errors.map((error) => ({ resource: null, message: `${error.field}: ${error.message}` }));
    return { ...base, status: 'not_applicable', reason: `does not compile: ${errors[0]?.message ?? ''}`, evaluated: 0, findings: 0, errors };
  }
  const run = runRule(compiled.rule, {
    objects: snapshot.objects,
    isCollected: index.isCollected,
    params: options.params ?? {},
    includePlatform,
    limits: options.celLimits,
    clock: options.clock,
  });
  let found = 0;
  // One evidence per validation, shared by its findings: the same four fields on every object it failed.
  const evidence = compiled.rule.validations.map((validation, at) => ({
    type: 'expression' as const,
    controlVersion: custom.version,
    validation: at + 1,
    expression: validation.expression.source,
  }));
  for (const violation of run.violations) {
    const fingerprint = fingerprintOf(custom.id, violation.ref, '');
    // The rule judges each object once; only an object the snapshot repeats can yield a fingerprint twice.
    if (index.repeated.has(violation.object)) {
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
    }
    found += 1;
    findings.push({
      controlId: custom.id,
      severity: custom.severity,
      resource: violation.ref,
      message: violation.message,
      evidence: evidence[violation.validation] as (typeof evidence)[number],
      remediation: custom.remediation,
      fingerprint,
      isPlatform: violation.isPlatform,
      controlVersion: custom.version,
    });
  }
  for (const error of run.errors) {
    if (error.ref) parseErrors.push({ resource: error.ref, message: `${custom.id}: ${error.message}` });
  }
  const errors = run.errors.slice(0, 20).map((error) => ({ resource: error.ref, message: error.message }));
  const tally = { evaluated: run.evaluated, findings: found, ...(errors.length > 0 ? { errors } : {}) };
  if (found > 0) return { ...base, status: 'fail', ...tally };
  if (run.errors.length > 0) return { ...base, status: 'not_applicable', reason: `could not be evaluated: ${run.errors.length} error(s), first: ${run.errors[0]?.message ?? ''}`, ...tally };
  if (run.notCollected.length > 0 && run.evaluated === 0) {
    return { ...base, status: 'not_applicable', reason: run.notCollected.map((resource) => index.collectionReason(resource)).join('; '), ...tally };
  }
  return { ...base, status: 'pass', ...tally };
}

/**
 * A snapshot list's object targets as the targets of the controls over that list: the schema gives each list
 * exactly its targets' type (services hold KubeObjects, secrets SecretMetas), which Target<'object'> widens.
 */
function listOf<T extends 'serviceAccount' | 'service' | 'ingress' | 'secret' | 'configMap'>(list: Target<'object'>[]): Target<T>[] {
  return list as unknown as Target<T>[];
}

/** Target lists per control kind, built once on first use. */
function targetLists(index: SnapshotIndex, rbac: RbacModel, nodes: NodesModel) {
  const once = <T>(build: () => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };
  const of = <T>(target: T, object: AnyObject) => ({ target, object, isPlatform: isPlatformDefault(object), repeated: index.repeated.has(object) });
  // A list whose targets are its objects is read once, for its own controls and for the object controls.
  const plainLists = new Map<ResourceName, Target<'object'>[]>();
  const plain = (resource: ResourceName): Target<'object'>[] => {
    let list = plainLists.get(resource);
    if (!list) plainLists.set(resource, (list = ((index.objects[resource] ?? []) as readonly AnyObject[]).map((object) => of(object, object))));
    return list;
  };
  const workload = once((): Target<'workload'>[] => index.workloads.map((w) => of(w, w.object)));
  return {
    workload,
    binding: once((): Target<'binding'>[] => rbac.bindings.map((b) => of(b, b.object))),
    role: once((): Target<'role'>[] => rbac.roles.filter((r) => !r.assumed).map((r) => of(r, r.object))),
    // One view per namespace name, so never repeated.
    namespace: once((): Target<'namespace'>[] =>
      index.namespaces.map((ns) => ({
        target: ns,
        ref: ns.object ? refOf(ns.object) : { apiVersion: 'v1', kind: 'Namespace', namespace: null, name: ns.name, uid: null },
        isPlatform: ns.object ? isPlatformDefault(ns.object) : PLATFORM_NAMESPACES.has(ns.name),
        repeated: false,
      })),
    ),
    serviceAccount: once(() => listOf<'serviceAccount'>(plain('serviceaccounts'))),
    service: once(() => listOf<'service'>(plain('services'))),
    ingress: once(() => listOf<'ingress'>(plain('ingresses'))),
    secret: once(() => listOf<'secret'>(plain('secrets'))),
    configMap: once(() => listOf<'configMap'>(plain('configmaps'))),
    networkPolicy: once((): Target<'networkPolicy'>[] =>
      index.namespaces.flatMap((ns) => ns.policies.map((policy) => of({ policy, workloadLabels: ns.workloadLabels }, policy.object))),
    ),
    // Pods and controllers below a workload carry its template's metadata: judged once, on the workload.
    object: once((): Target<'object'>[] => {
      const list: Target<'object'>[] = workload().map(({ target, isPlatform, repeated }) => ({ target: target.object, object: target.object, isPlatform, repeated }));
      for (const resource of RESOURCE_NAMES) {
        if ((POD_BEARING_RESOURCES as readonly string[]).includes(resource)) continue;
        for (const target of plain(resource)) list.push(target);
      }
      return list;
    }),
    // One view per node name (nodesModelOf keeps the latest report of each).
    node: once((): Target<'node'>[] => nodes.nodes.map((node) => ({ target: node, ref: node.ref, isPlatform: false, repeated: false }))),
  };
}

function messageOf(error: unknown): string {
  if (error instanceof ParseIssue) return error.message;
  return error instanceof Error ? `could not be evaluated: ${error.message}` : 'could not be evaluated';
}

