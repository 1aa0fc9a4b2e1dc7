import { COMPLIANCE_STATUSES, COMPLIANCE_STATUS_DEFINITIONS, COMPLIANCE_STATUS_LABELS } from '../../../analysis/frameworks/compliance-status';
import type { ReportHeader } from './types';

export type MethodologySection = { title: string; paragraphs: string[] };

const when = (iso: string | null): string => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'at an unknown time');

function interval(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** How the evidence in a report was collected and scored, in words an auditor can check against the product. */
/** How this file can be checked: the public page, and whether the PDF carries a signature. */
export type MethodologyVerification = { url: string; signed: boolean };

export function methodologySections(header: ReportHeader, verification?: MethodologyVerification): MethodologySection[] {
  const clusters = header.scope.clusters.map((cluster) => {
    const evaluation = cluster.evaluation
      ? `snapshot collected ${when(cluster.evaluation.collectedAt)}, evaluated ${when(cluster.evaluation.evaluatedAt)} with catalog ${cluster.evaluation.catalogVersion}`
      : 'no evaluation at or before the period end';
    return `${cluster.name}: expected to report every ${interval(cluster.reportingIntervalSeconds)}; ${evaluation}.`;
  });
  return [
    {
      title: 'What the agent collects, and when',
      paragraphs: [
        'A Bulwark agent runs inside each cluster with a read-only ServiceAccount: list on the resources below and get on namespaces; no watch, no writes. On a schedule (every 15 minutes with the shipped Deployment) it lists Namespaces, Nodes, Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, ServiceAccounts, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, NetworkPolicies, Services and Ingresses, reads the kube-system namespace (whose UID identifies the cluster) and the server version, and pushes one snapshot over HTTPS with a per-cluster token.',
        'A list the agent may not read (HTTP 403) or that fails is recorded as such in the snapshot; the controls that need it are then reported as not applicable, never as passing.',
        'A cluster whose agent misses three reporting intervals is marked stale and gets a finding of its own ("the Bulwark agent reports on schedule") until a new snapshot arrives.',
        ...clusters,
      ],
    },
    {
      title: 'What is never collected',
      paragraphs: [
        'Secret values. Secrets are not read by default; when the optional Secret metadata permission is granted they are requested as metadata only (name, namespace, labels, annotations), never their data.',
        'Credential values in container environment variables, probe and lifecycle HTTP headers and command-line arguments. The agent replaces each such value, before it leaves the cluster, with a marker carrying only the value\'s length and the first 8 hex digits of its SHA-256 hash (enough to see the same value reused, too short to recover it). Values that reference a Secret (valueFrom) stay references.',
        'The kubectl.kubernetes.io/last-applied-configuration annotation (it copies whole manifests, Secret data included), managedFields, and status beyond what the checks read (no IP addresses).',
        'The server refuses any snapshot that still carries one of these, whoever sent it.',
      ],
    },
    {
      title: 'How results and scores are computed',
      paragraphs: [
        'Each snapshot is evaluated against Bulwark\'s control catalog. A control passes, fails (one finding per offending object and item), or is not applicable (what it needs was not collected, or it was not configured). Findings are matched across snapshots by a fingerprint of the control, the resource identity and the offending item; a finding absent from a later snapshot is resolved, and one that comes back is reopened with its history.',
        'A requirement fails when any of its mapped controls has an open or acknowledged finding on any cluster in scope; it passes when its controls pass, or fail only on findings covered by an approved, unexpired risk acceptance (shown as "accepted"). It is manual when no control decides it, and not applicable when the framework item cannot be met or failed through a Kubernetes cluster, or none of its controls could be evaluated.',
        'Score = passed / (passed + failed) over the requirements controls can decide, from 0 to 100 with one decimal. Manual and not-applicable requirements are outside the score.',
        'Point in time: every figure is as of the period end. For each cluster the report uses its latest evaluation started at or before that moment; each finding\'s status, owner and due date are rebuilt from its timeline up to that moment; findings first seen after it are left out. Scores come from the score recorded at or before the period end, and the trend from the daily score history within the period.',
      ],
    },
    {
      title: 'Catalog and framework',
      paragraphs: [
        `Framework: ${header.framework.name}, ${header.framework.own ? 'the organization\'s own' : `version ${header.framework.version}`} (${header.framework.id}). The organization's own controls, where a requirement lists one, are marked as such with the version evaluated. Control catalog version of this Bulwark release: ${header.catalogVersion}. Each evaluation records the catalog version it used (listed above per cluster); results from different catalog versions are never compared as the same test.`,
        header.framework.own
          ? 'The requirement codes and titles are the organization\'s own, as defined in Bulwark.'
          : 'Framework texts are not reproduced: requirement titles and descriptions are Bulwark\'s own wording next to the official item identifiers.',
        `This report was generated ${when(header.generatedAt)} for ${header.generatedBy}.`,
      ],
    },
    ...(header.framework.own
      ? [{
        title: 'The organization\'s own framework',
        paragraphs: [
          `${header.framework.name} (${header.framework.id}) is a framework ${header.organization.name} defined in Bulwark: a named set of requirements. No Bulwark control is mapped to it; each requirement is decided by the organization's own controls that map to it: rules written in CEL (the language of Kubernetes' ValidatingAdmissionPolicy), evaluated in the same evaluation as Bulwark's catalog, each version immutable. Every evaluation records the version of each control it ran and the requirements that version mapped to; this report uses those records, so a later edit of a control does not change a past result.`,
          'A requirement with no control of the organization mapped to it is manual (not assessed by Bulwark). The score and its history are recorded with every evaluation, by the same rule as the catalog frameworks. There is no Statement of Applicability for it: every requirement is applicable.',
        ],
      }]
      : []),
    {
      title: 'Status vocabulary',
      paragraphs: [
        'Bulwark states a requirement\'s standing in these words only, in its pages, scores and reports. "Not applicable" is never used without a reason: a requirement no cluster data speaks to is "not assessed by Bulwark" until it is excluded in the Statement of Applicability with a justification, or evidence is provided.',
        ...COMPLIANCE_STATUSES.map((status) => `${COMPLIANCE_STATUS_LABELS[status]}: ${COMPLIANCE_STATUS_DEFINITIONS[status]}`),
      ],
    },
    {
      title: 'Verifying this report',
      paragraphs: verification
        ? [
          `Anyone holding this file can check it at ${verification.url}, without signing in: the page computes the file's SHA-256 and looks it up in Bulwark's archive, and answers with the organization's name, the framework, the period and when the report was issued, or that Bulwark did not issue the file or it was changed. A single changed byte changes the SHA-256.`,
          'A file cannot print its own SHA-256 (printing it would change it). The cover therefore shows the content SHA-256: the SHA-256 of the report\'s data as RFC 8785 canonical JSON (sorted keys, no whitespace, the findings included): the data the JSON export of the same report carries. Bulwark stores both digests with the report; the verification page checks the file\'s own.',
          verification.signed
            ? 'The PDF carries a detached CMS (PAdES basic, adbe.pkcs7.detached, SHA-256) digital signature over the whole file but the signature itself, made with the certificate the operator of this Bulwark configured. PDF readers show it in their signature panel; the verification page also checks that it is valid and made with the configured certificate.'
            : 'This file carries no digital signature; its SHA-256 in the archive is what identifies it.',
        ]
        : [`Bulwark records this report's SHA-256; anyone holding the file can check it was issued unmodified on Bulwark's /verify page.`],
    },
  ];
}
