import { randomUUID } from 'node:crypto';
import { COMPLIANCE_STATUS_LABELS, MET_STATUSES, type ComplianceStatus } from '../../../analysis/frameworks/compliance-status';
import { ACCESS_REVIEW_REQUIREMENT_IDS, type ReportControlOutcome, type ReportData, type ReportEvidence, type ReportOwnControl, type ReportRequirement } from './types';

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
/** OSCAL's string type: non-empty, no leading or trailing whitespace, one line. */
const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim() || '-';
const prop = (name: string, value: string): Prop => ({ ns: BULWARK_OSCAL_NS, name, value: oneLine(value) });

/**
 * OSCAL has two target states. A requirement is `satisfied` when the compliance vocabulary says it is met
 * (passed, passed with accepted risk, evidence provided); a failing control is `not-satisfied` with reason
 * `fail`; everything else (evidence missing or expired, not assessed, the provider's) is `not-satisfied` with
 * reason `other`: this assessment does not establish it. The `compliance-status` property keeps the exact status.
 */
export function targetStatus(status: ComplianceStatus): { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' } {
  if (MET_STATUSES.includes(status)) return { state: 'satisfied', reason: 'pass' };
  if (status === 'failed') return { state: 'not-satisfied', reason: 'fail' };
  return { state: 'not-satisfied', reason: 'other' };
}

const EVIDENCE_STATUS_TEXT: Record<ReportEvidence['status'], string> = {
  accepted: 'accepted and within its validity',
  expired: 'accepted, validity over',
  pending: 'not reviewed yet',
  rejected: 'rejected by the reviewer',
};

function evidenceDescription(item: ReportEvidence): string {
  const what = item.kind === 'file' ? `File ${item.fileName ?? ''}${item.sha256 ? ` (SHA-256 ${item.sha256})` : ''}`
    : item.kind === 'link' ? `Link ${item.url ?? ''}` : 'Written attestation';
  const review = item.reviewedBy ? `; reviewed by ${item.reviewedBy} on ${item.reviewedAt?.slice(0, 10)}` : '';
  return `${what}. Collected ${item.collectedAt.slice(0, 10)}, valid until ${item.validUntil.slice(0, 10)}; ${EVIDENCE_STATUS_TEXT[item.status]} at the period end${review}. Uploaded by ${item.uploadedBy}. The file itself is kept in Bulwark and is not part of this document.`;
}

function soaRemarks(requirement: ReportRequirement): string | null {
  const lines = [
    requirement.applicability !== 'applicable' || requirement.justification ? `Statement of Applicability: ${requirement.applicability.replace('_', ' ')}${requirement.justification ? `. Justification: ${requirement.justification}` : ''}` : null,
    requirement.owner ? `Owner: ${requirement.owner}` : null,
  ].filter((line): line is string => line !== null);
  return lines.length > 0 ? lines.join('\n\n') : null;
}

function ownControlProps(control: ReportOwnControl | undefined) {
  if (!control) return [prop('control-origin', 'catalog')];
  return [prop('control-origin', 'organization'), ...(control.versions.length > 0 ? [prop('control-versions', control.versions.join(' '))] : [])];
}

function observationDescription(outcome: ReportControlOutcome): string {
  switch (outcome.status) {
    case 'fail':
      return outcome.openFindings > 0
        ? `Control ${outcome.controlId} (${outcome.controlTitle}) fails on cluster ${outcome.clusterName}: ${outcome.openFindings} open finding(s)${outcome.acceptedFindings ? `, ${outcome.acceptedFindings} risk-accepted` : ''} at the period end.`
        : `Control ${outcome.controlId} (${outcome.controlTitle}) failed on cluster ${outcome.clusterName}; every finding was risk-accepted (${outcome.acceptedFindings}) or resolved at the period end.`;
    case 'pass':
      return `Control ${outcome.controlId} (${outcome.controlTitle}) passes on cluster ${outcome.clusterName}.`;
    case 'provider_responsibility':
      return `Control ${outcome.controlId} (${outcome.controlTitle}) is the provider's responsibility on cluster ${outcome.clusterName}${outcome.reason ? `: ${outcome.reason}` : '.'}`;
    case 'not_applicable':
      return `Control ${outcome.controlId} (${outcome.controlTitle}) was not applicable on cluster ${outcome.clusterName}${outcome.reason ? `: ${outcome.reason}` : '.'}`;
  }
}

/** Adds `key: value` only when the array has items: OSCAL's JSON schema requires at least one in every array. */
function nonEmpty<K extends string, T>(key: K, value: T[]): Partial<Record<K, T[]>> {
  return value.length > 0 ? ({ [key]: value } as Record<K, T[]>) : {};
}

/**
 * A NIST OSCAL 1.1.2 Assessment Results document: one result for the period. The reviewed controls are the
 * requirements the Statement of Applicability keeps in scope (excluded ones are listed as excluded, with their
 * justifications); one finding per requirement in scope, in the compliance vocabulary; observations for each
 * control on each cluster and for each piece of evidence (a back-matter resource each, described, never its bytes).
 */
export function buildOscalAssessmentResults(data: ReportData, uuid: () => string = randomUUID) {
  const { header } = data;
  const frameworkId = header.framework.id;
  const planUuid = uuid();
  const clusterUuids = new Map(header.scope.clusters.map((cluster) => [cluster.id, uuid()]));
  // The organization's own controls (issue 23) are said to be its own, with the version(s) the clusters ran: an
  // assessor reading the results tells them from the catalog's without Bulwark's UI.
  const ownControls = new Map<string, ReportOwnControl>();
  for (const requirement of data.requirements) for (const control of requirement.ownControls ?? []) ownControls.set(control.id, control);
  const observations = data.controlOutcomes.map((outcome) => ({
    outcome,
    observation: {
      uuid: uuid(),
      title: `${outcome.controlId} on ${outcome.clusterName}${ownControls.has(outcome.controlId) ? " (the organization's own control)" : ''}`,
      description: observationDescription(outcome),
      props: [
        prop('control-id', outcome.controlId), prop('result', outcome.status), prop('open-findings', String(outcome.openFindings)), prop('accepted-findings', String(outcome.acceptedFindings)),
        ...ownControlProps(ownControls.get(outcome.controlId)),
      ],
      methods: ['TEST'],
      types: ['control-objective'],
      subjects: [{ 'subject-uuid': clusterUuids.get(outcome.clusterId) ?? uuid(), type: 'inventory-item', title: outcome.clusterName }],
      collected: outcome.evaluatedAt,
    },
  }));
  const evidence = data.evidence.map((item) => {
    const resourceUuid = uuid();
    const resource = {
      uuid: resourceUuid,
      title: item.title,
      description: evidenceDescription(item),
      props: [
        prop('evidence-id', item.id), prop('evidence-kind', item.kind), prop('requirement-id', item.requirementId),
        ...(item.fileName ? [prop('file-name', item.fileName)] : []),
        ...(item.contentType ? [prop('media-type', item.contentType)] : []),
        ...(item.sizeBytes !== null ? [prop('size-bytes', String(item.sizeBytes))] : []),
        ...(item.sha256 ? [prop('sha256', item.sha256)] : []),
      ],
      ...(item.kind === 'link' && item.url ? { rlinks: [{ href: item.url }] } : {}),
    };
    const observation = {
      uuid: uuid(),
      title: `Evidence for ${item.requirementId}: ${oneLine(item.title)}`,
      description: evidenceDescription(item),
      props: [
        prop('requirement-id', item.requirementId), prop('evidence-status', item.status), prop('uploaded-by', item.uploadedBy),
        ...(item.owner ? [prop('evidence-owner', item.owner)] : []),
        ...(item.reviewedBy ? [prop('reviewed-by', item.reviewedBy)] : []),
        ...(item.reviewedAt ? [prop('reviewed-at', item.reviewedAt)] : []),
        prop('valid-until', item.validUntil),
      ],
      methods: ['EXAMINE'],
      types: ['control-objective'],
      'relevant-evidence': [{ href: `#${resourceUuid}`, description: `${oneLine(item.title)} (${item.kind})` }],
      collected: item.collectedAt,
      expires: item.validUntil,
    };
    return { item, resource, observation };
  });
  const reviewSubjects = (names: readonly string[]) => {
    const matching = header.scope.clusters.filter((cluster) => names.includes(cluster.name));
    return (matching.length > 0 ? matching : header.scope.clusters).map((cluster) => ({ 'subject-uuid': clusterUuids.get(cluster.id) ?? uuid(), type: 'inventory-item', title: cluster.name }))
      .concat(matching.length > 0 || header.scope.clusters.length > 0 ? [] : [{ 'subject-uuid': uuid(), type: 'inventory-item', title: 'Kubernetes RBAC' }]);
  };
  // Access reviews signed off in the period (issue 22): one observation each, related to A.5.15, A.5.18 and A.8.2.
  const reviews = (data.accessReviews ?? []).map((campaign) => {
    const t = campaign.totals;
    const decisions = campaign.items.slice(0, 200).map((item) => `${item.cluster}: ${item.subject} ${item.right}: ${item.decision === 'keep' ? 'kept' : 'revoked'} by ${item.decidedBy} on ${item.decidedAt.slice(0, 10)}${item.reason ? ` (${item.reason})` : ''}${item.revocation ? `, revocation ${item.revocation}` : ''}`);
    return {
      uuid: uuid(),
      title: `Access review: ${oneLine(campaign.name)}`,
      description: `Access review of ${campaign.scope} on ${campaign.clusters.join(', ') || 'no cluster'}, started ${campaign.startedAt} by ${campaign.startedBy}, signed off ${campaign.completedAt} by ${campaign.signedOffBy}: ${t.items} rights reviewed, ${t.kept} kept, ${t.revoked} revoked (${t.carriedOut} carried out, ${t.overdue} overdue), ${t.newItems} new since the previous review.${campaign.summary ? ` Summary: ${campaign.summary}` : ''}\n\n${decisions.join('\n')}`,
      props: [
        prop('access-review-id', campaign.id), prop('signed-off-by', campaign.signedOffBy), prop('signed-off-at', campaign.completedAt),
        prop('items', String(t.items)), prop('kept', String(t.kept)), prop('revoked', String(t.revoked)), prop('revocations-carried-out', String(t.carriedOut)), prop('revocations-overdue', String(t.overdue)),
      ],
      methods: ['EXAMINE'],
      types: ['control-objective'],
      subjects: reviewSubjects(campaign.clusters),
      collected: campaign.completedAt,
    };
  });
  const reviewRequirements: readonly string[] = ACCESS_REVIEW_REQUIREMENT_IDS;
  const inScope = data.requirements.filter((requirement) => requirement.applicability !== 'excluded');
  const excluded = data.requirements.filter((requirement) => requirement.applicability === 'excluded');
  const findings = inScope.map((requirement) => {
    const status = targetStatus(requirement.complianceStatus);
    const related = [
      ...observations.filter(({ outcome }) => requirement.controlIds.includes(outcome.controlId)).map(({ observation }) => observation.uuid),
      ...evidence.filter(({ item }) => item.requirementId === requirement.id).map(({ observation }) => observation.uuid),
      ...(reviewRequirements.includes(requirement.id) ? reviews.map((review) => review.uuid) : []),
    ].map((observationUuid) => ({ 'observation-uuid': observationUuid }));
    const detail = requirement.reason ? `\n\n${requirement.reason}` : '';
    const remarks = soaRemarks(requirement);
    return {
      uuid: uuid(),
      title: `${requirement.id} ${requirement.title}`,
      description: `${requirement.description}${detail}\n\nStatus: ${COMPLIANCE_STATUS_LABELS[requirement.complianceStatus]}.`,
      props: [
        { name: 'label', value: requirement.id },
        prop('compliance-status', requirement.complianceStatus),
        prop('applicability', requirement.applicability),
        prop('soa-decided', requirement.decided ? 'true' : 'false'),
        ...(requirement.justification ? [prop('justification', requirement.justification)] : []),
        ...(requirement.owner ? [prop('owner', requirement.owner)] : []),
        ...(requirement.implementationStatus ? [prop('implementation-status', requirement.implementationStatus)] : []),
        prop('evidence-state', requirement.evidence),
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
      ...(remarks ? { remarks } : {}),
    };
  });
  const inventory = header.scope.clusters.map((cluster) => ({
    uuid: clusterUuids.get(cluster.id) ?? uuid(),
    description: `Kubernetes cluster "${cluster.name}"${cluster.evaluation ? `, evaluated ${cluster.evaluation.evaluatedAt}` : ', not evaluated by the period end'}.`,
    props: [prop('cluster-id', cluster.id), prop('cluster-name', cluster.name)],
  }));
  const scope = header.scope.clusters.map((cluster) => cluster.name).join(', ') || 'no clusters';
  const { soa } = data;
  const soaProps = soa.version
    ? [prop('soa-version', String(soa.version.number)), prop('soa-approved-by', soa.version.approvedBy), prop('soa-approved-at', soa.version.approvedAt), prop('soa-digest', soa.version.digest)]
    : [prop('soa-version', 'draft')];
  const soaText = soa.version
    ? `Statement of Applicability version ${soa.version.number}, approved by ${soa.version.approvedBy} on ${soa.version.approvedAt.slice(0, 10)}${soa.unapprovedChanges.length ? `; ${soa.unapprovedChanges.length} later change(s) not approved by the period end are not used` : ''}.`
    : 'No version of the Statement of Applicability was approved by the period end: the decisions are the draft as it stood.';
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
        description: `Automated Kubernetes configuration assessment of ${scope} for ${header.organization.name}, as of the period end, by Bulwark, with the evidence recorded for requirements a cluster cannot show. Coverage: ${soa.coverage}. ${soaText} Generated ${header.generatedAt} for ${header.generatedBy}.`,
        start: header.period.start,
        end: header.period.end,
        props: [prop('framework-id', frameworkId), prop('score', String(data.summary.headline.score)), prop('coverage', soa.coverage), ...soaProps],
        ...(inventory.length > 0 ? { 'local-definitions': { 'inventory-items': inventory } } : {}),
        'reviewed-controls': {
          description: soaText,
          'control-selections': [{
            description: 'The requirements the Statement of Applicability keeps in scope; excluded ones are listed with their justification.',
            ...nonEmpty('include-controls', inScope.map((requirement) => ({ 'control-id': oscalControlId(frameworkId, requirement.id) }))),
            ...nonEmpty('exclude-controls', excluded.map((requirement) => ({ 'control-id': oscalControlId(frameworkId, requirement.id) }))),
            ...(excluded.length > 0 ? {
              remarks: excluded.map((requirement) => `- ${requirement.id} ${requirement.title}: excluded. Justification: ${requirement.justification ?? 'none recorded'}`).join('\n'),
            } : {}),
          }],
        },
        ...nonEmpty('observations', [...observations.map(({ observation }) => observation), ...evidence.map(({ observation }) => observation), ...reviews]),
        ...nonEmpty('findings', findings),
      }],
      'back-matter': {
        resources: [{
          uuid: planUuid,
          title: 'Bulwark automated assessment method',
          description: 'A read-only agent in each cluster lists its Kubernetes objects on a schedule, redacts credentials, and pushes a snapshot; Bulwark evaluates each snapshot against its control catalog and maps control results to the framework\'s requirements. Requirements a cluster cannot show are decided by the Statement of Applicability and by evidence that a reviewer other than its uploader accepted.',
        }, ...evidence.map(({ resource }) => resource)],
      },
    },
  };
}

export type OscalAssessmentResults = ReturnType<typeof buildOscalAssessmentResults>;

/** The OSCAL document as JSON text (its size is bounded by requirements and controls, not by findings). */
export async function* renderOscal(data: ReportData): AsyncGenerator<string> {
  yield `${JSON.stringify(buildOscalAssessmentResults(data), null, 2)}\n`;
}
