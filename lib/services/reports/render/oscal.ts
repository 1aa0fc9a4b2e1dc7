import { randomUUID } from 'node:crypto';
import type { ReportControlOutcome, ReportData, ReportRequirement } from './types';

export const OSCAL_VERSION = '1.1.2';
/** Our own properties carry this namespace, so they never collide with (or are checked against) NIST's names. */
export const BULWARK_OSCAL_NS = 'https://bulwark.dev/ns/oscal';

/** OSCAL's token type: a letter or underscore, then letters, digits, '.', '-' or '_'. */
const TOKEN = /^[\p{L}_][\p{L}\p{N}._-]*$/u;

/**
 * The control-id / target-id of a requirement. ISO ids ("A.8.2") are tokens already; CIS item ids ("5.1.1")
 * start with a digit, which a token may not, so they get the framework's prefix ("cis-5.1.1"). The original id
 * stays readable in a `label` property.
 */
export function oscalControlId(frameworkId: string, requirementId: string): string {
  if (TOKEN.test(requirementId)) return requirementId;
  const prefix = frameworkId.split('-')[0] ?? 'req';
  const candidate = `${prefix}-${requirementId}`.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return TOKEN.test(candidate) ? candidate : `_${candidate}`;
}

type Prop = { name: string; value: string; ns?: string };
const prop = (name: string, value: string): Prop => ({ ns: BULWARK_OSCAL_NS, name, value });

/**
 * OSCAL has two target states. A requirement is `satisfied` only when Bulwark's checks pass; manual and
 * not-applicable ones are `not-satisfied` with reason `other` (this assessment does not establish them), and
 * the `bulwark-status` property keeps the distinction for tools that read it.
 */
function targetStatus(requirement: ReportRequirement): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' } {
  switch (requirement.status) {
    case 'pass': return { state: 'satisfied', reason: 'pass' };
    case 'fail': return { state: 'not-satisfied', reason: 'fail' };
    default: return { state: 'not-satisfied', reason: 'other' };
  }
}

function observationDescription(outcome: ReportControlOutcome): string {
  switch (outcome.status) {
    case 'fail':
      return outcome.openFindings > 0
        ? `Control ${outcome.controlId} (${outcome.controlTitle}) fails on cluster ${outcome.clusterName}: ${outcome.openFindings} open finding(s)${outcome.acceptedFindings ? `, ${outcome.acceptedFindings} risk-accepted` : ''} at the period end.`
        : `Control ${outcome.controlId} (${outcome.controlTitle}) failed on cluster ${outcome.clusterName}; every finding was risk-accepted (${outcome.acceptedFindings}) or resolved at the period end.`;
    case 'pass':
      return `Control ${outcome.controlId} (${outcome.controlTitle}) passes on cluster ${outcome.clusterName}.`;
    case 'not_applicable':
      return `Control ${outcome.controlId} (${outcome.controlTitle}) was not applicable on cluster ${outcome.clusterName}${outcome.reason ? `: ${outcome.reason}` : '.'}`;
  }
}

/** Adds `key: value` only when the array has items: OSCAL's JSON schema requires at least one in every array. */
function nonEmpty<K extends string, T>(key: K, value: T[]): Partial<Record<K, T[]>> {
  return value.length > 0 ? ({ [key]: value } as Record<K, T[]>) : {};
}

/** A NIST OSCAL 1.1.2 Assessment Results document: one result for the period, one finding per requirement. */
export function buildOscalAssessmentResults(data: ReportData, uuid: () => string = randomUUID) {
  const { header } = data;
  const frameworkId = header.framework.id;
  const planUuid = uuid();
  const clusterUuids = new Map(header.scope.clusters.map((cluster) => [cluster.id, uuid()]));
  const observations = data.controlOutcomes.map((outcome) => ({
    outcome,
    observation: {
      uuid: uuid(),
      title: `${outcome.controlId} on ${outcome.clusterName}`,
      description: observationDescription(outcome),
      props: [prop('control-id', outcome.controlId), prop('result', outcome.status), prop('open-findings', String(outcome.openFindings)), prop('accepted-findings', String(outcome.acceptedFindings))],
      methods: ['TEST'],
      types: ['control-objective'],
      subjects: [{ 'subject-uuid': clusterUuids.get(outcome.clusterId) ?? uuid(), type: 'inventory-item', title: outcome.clusterName }],
      collected: outcome.evaluatedAt,
    },
  }));
  const findings = data.requirements.map((requirement) => {
    const status = targetStatus(requirement);
    const related = observations.filter(({ outcome }) => requirement.controlIds.includes(outcome.controlId)).map(({ observation }) => ({ 'observation-uuid': observation.uuid }));
    const detail = requirement.reason ? `\n\n${requirement.reason}` : '';
    return {
      uuid: uuid(),
      title: `${requirement.id} ${requirement.title}`,
      description: `${requirement.description}${detail}`,
      props: [
        { name: 'label', value: requirement.id },
        prop('bulwark-status', requirement.status),
        prop('open-findings', String(requirement.openFindings)),
        ...(requirement.accepted ? [prop('risk-accepted', 'true')] : []),
      ],
      target: {
        type: 'objective-id',
        'target-id': oscalControlId(frameworkId, requirement.id),
        status,
      },
      ...nonEmpty('related-observations', related),
    };
  });
  const inventory = header.scope.clusters.map((cluster) => ({
    uuid: clusterUuids.get(cluster.id) ?? uuid(),
    description: `Kubernetes cluster "${cluster.name}"${cluster.evaluation ? `, evaluated ${cluster.evaluation.evaluatedAt}` : ', not evaluated by the period end'}.`,
    props: [prop('cluster-id', cluster.id), prop('cluster-name', cluster.name)],
  }));
  const scope = header.scope.clusters.map((cluster) => cluster.name).join(', ') || 'no clusters';
  return {
    'assessment-results': {
      uuid: uuid(),
      metadata: {
        title: `${header.framework.name} ${header.framework.version}: assessment results for ${header.organization.name}`,
        published: header.generatedAt,
        'last-modified': header.generatedAt,
        // Each report is its own document, never revised: the report id is in the props.
        version: '1.0',
        'oscal-version': OSCAL_VERSION,
        props: [prop('report-id', header.reportId), prop('catalog-version', header.catalogVersion)],
        parties: [{ uuid: uuid(), type: 'organization', name: header.organization.name }],
      },
      'import-ap': {
        href: `#${planUuid}`,
        remarks: 'Bulwark assesses continuously from agent snapshots; there is no separate assessment plan document. The back-matter resource describes the method.',
      },
      results: [{
        uuid: uuid(),
        title: `${header.framework.name} ${header.framework.version} as of ${header.period.end}`,
        description: `Automated Kubernetes configuration assessment of ${scope} for ${header.organization.name}, as of the period end, by Bulwark. Generated ${header.generatedAt} for ${header.generatedBy}.`,
        start: header.period.start,
        end: header.period.end,
        props: [prop('framework-id', frameworkId), prop('score', String(data.summary.headline.score))],
        ...(inventory.length > 0 ? { 'local-definitions': { 'inventory-items': inventory } } : {}),
        'reviewed-controls': {
          'control-selections': [{ 'include-controls': data.requirements.map((requirement) => ({ 'control-id': oscalControlId(frameworkId, requirement.id) })) }],
        },
        ...nonEmpty('observations', observations.map(({ observation }) => observation)),
        ...nonEmpty('findings', findings),
      }],
      'back-matter': {
        resources: [{
          uuid: planUuid,
          title: 'Bulwark automated assessment method',
          description: 'A read-only agent in each cluster lists its Kubernetes objects on a schedule, redacts credentials, and pushes a snapshot; Bulwark evaluates each snapshot against its control catalog and maps control results to the framework\'s requirements.',
        }],
      },
    },
  };
}

export type OscalAssessmentResults = ReturnType<typeof buildOscalAssessmentResults>;

/** The OSCAL document as JSON text (its size is bounded by requirements and controls, not by findings). */
export async function* renderOscal(data: ReportData): AsyncGenerator<string> {
  yield `${JSON.stringify(buildOscalAssessmentResults(data), null, 2)}\n`;
}
