import { CATALOG } from '@/lib/analysis/controls/catalog';
import { FRAMEWORKS, listRequirementControls, type FrameworkId } from '@/lib/analysis/frameworks';
import { complianceStatus, describeCoverage, summarizeCompliance, type EvidenceState } from '@/lib/analysis/frameworks/compliance-status';
import { REPORT_SEVERITIES, type ReportData, type ReportEvidence, type ReportFinding, type ReportRequirement } from './types';

/**
 * Synthetic report data for renderer tests and for looking at the layout: real framework requirements and
 * catalog controls, `findings` made-up findings with deterministic values, and a few hostile strings (very long
 * names, formula-looking cells, quotes and newlines) where a real cluster could put them.
 */
export function sampleReportData(options: { findings: number; frameworkId?: FrameworkId; clusters?: number; pageSize?: number }): ReportData {
  const frameworkId = options.frameworkId ?? 'iso27001-2022';
  const framework = FRAMEWORKS.find((f) => f.id === frameworkId) ?? FRAMEWORKS[0]!;
  const pageSize = options.pageSize ?? 2_000;
  const clusterCount = options.clusters ?? 3;
  const clusters = Array.from({ length: clusterCount }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: i === 2 ? 'staging-eu-west-1-with-a-deliberately-long-cluster-name-for-layout' : `prod-${i + 1}`,
    reportingIntervalSeconds: 900,
    evaluation: { id: `10000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, evaluatedAt: '2026-11-22T23:50:00.000Z', collectedAt: '2026-11-22T23:45:00.000Z', catalogVersion: '0123456789abcdef' },
  }));
  const controlsOf = listRequirementControls(framework.id);
  const controls = CATALOG.filter((c) => (frameworkId === 'cis-k8s-1.9' ? c.mappings.cis : c.mappings.iso27001).length > 0);
  const failing = new Set(controls.filter((_, i) => i % 3 === 0).map((c) => c.id));
  const requirements: ReportRequirement[] = framework.requirements.map((r, i) => {
    const controlIds = controlsOf.get(r.id) ?? [];
    const failingControlIds = controlIds.filter((id) => failing.has(id));
    const status = r.notApplicableReason ? 'not_applicable' : r.assessment === 'manual' || controlIds.length === 0 ? 'manual' : failingControlIds.length ? 'fail' : 'pass';
    const accepted = status === 'pass' && i % 7 === 0;
    // A few SoA decisions: the not-applicable ones excluded (one the provider's), and evidence on some manual ones.
    const applicability = r.notApplicableReason ? (i % 2 === 0 ? 'provider_responsibility' as const : 'excluded' as const) : 'applicable' as const;
    const manualIndex = status === 'manual' ? i % 5 : -1;
    const evidence: EvidenceState = manualIndex === 0 ? 'current' : manualIndex === 1 ? 'expired' : manualIndex === 2 ? 'requested' : 'none';
    const automated = status === 'fail' ? 'fail' as const : status === 'pass' ? (accepted ? 'accepted' as const : 'pass' as const) : 'none' as const;
    return {
      id: r.id, title: r.title, description: r.description, assessment: r.assessment, status, accepted,
      controlIds, failingControlIds, openFindings: failingControlIds.length * 3, reason: r.notApplicableReason ?? r.manualEvidence ?? null,
      complianceStatus: complianceStatus({ applicability, assessment: r.assessment, automated, evidence }), applicability, decided: applicability !== 'applicable' || manualIndex >= 0,
      justification: applicability === 'applicable' ? null : `${r.notApplicableReason ?? 'Not in scope.'} Decided at the SoA review; "quoted", with a comma.`,
      owner: manualIndex >= 0 ? 'Olivia Owner (olivia@example.com)' : null, implementationStatus: manualIndex === 0 ? 'Implemented' : manualIndex >= 0 ? 'In progress' : null, evidence,
    };
  });
  const evidenceItems: ReportEvidence[] = requirements.filter((r) => r.evidence === 'current' || r.evidence === 'expired').flatMap((r, i) => {
    const base = {
      requirementId: r.id, fileName: null, contentType: null, sizeBytes: null, sha256: null, url: null, owner: 'Olivia Owner (olivia@example.com)', uploadedBy: 'Sam Engineer (sam@example.com)',
      reviewedBy: 'Olivia Owner (olivia@example.com)', reviewedAt: '2026-11-02T09:00:00.000Z',
    };
    const id = (n: number) => `60000000-0000-4000-8000-${String(i * 10 + n).padStart(12, '0')}`;
    const main: ReportEvidence = r.evidence === 'current'
      ? { ...base, id: id(1), kind: 'file', title: `${r.title} policy`, fileName: `policy-${r.id}.pdf`, contentType: 'application/pdf', sizeBytes: 48_213, sha256: 'ab'.repeat(32), collectedAt: '2026-11-01T00:00:00.000Z', validUntil: '2027-11-01T00:00:00.000Z', status: 'accepted' }
      : { ...base, id: id(1), kind: 'link', title: `${r.title} review record`, url: 'https://wiki.example.com/security/reviews/2025', collectedAt: '2025-06-01T00:00:00.000Z', validUntil: '2026-06-01T00:00:00.000Z', status: 'expired' };
    return i === 0 ? [main, { ...base, id: id(2), kind: 'attestation', title: 'Attestation by the CISO, awaiting review', collectedAt: '2026-11-20T00:00:00.000Z', validUntil: '2027-11-20T00:00:00.000Z', status: 'pending', reviewedBy: null, reviewedAt: null }] : [main];
  });
  const complianceSummary = summarizeCompliance(requirements.map((r) => r.complianceStatus));
  const count = (status: ReportRequirement['status']) => requirements.filter((r) => r.status === status).length;
  const severityOf = (i: number) => REPORT_SEVERITIES[Math.min(3, Math.floor((i / Math.max(1, options.findings)) * 4))]!;
  const finding = (i: number): ReportFinding => {
    const control = controls[i % controls.length]!;
    const cluster = clusters[i % clusters.length]!;
    const status = i % 11 === 0 ? 'RESOLVED' : i % 7 === 0 ? 'RISK_ACCEPTED' : i % 5 === 0 ? 'ACKNOWLEDGED' : 'OPEN';
    return {
      id: `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      clusterId: cluster.id, clusterName: cluster.name,
      namespace: i % 13 === 0 ? null : `team-${i % 17}`,
      kind: i % 13 === 0 ? 'ClusterRoleBinding' : 'Deployment',
      name: i === 3 ? '=HYPERLINK("http://evil.example","click")' : i % 97 === 0 ? `service-with-an-extremely-long-generated-name-${'x'.repeat(80)}-${i}` : `app-${i}`,
      controlId: control.id, controlTitle: control.title, severity: severityOf(i), status,
      resolutionReason: status === 'RESOLVED' ? 'FIXED' : null,
      cisIds: [...control.mappings.cis], isoIds: [...control.mappings.iso27001],
      owner: i % 4 === 0 ? null : i % 4 === 1 ? 'Dana Auditor' : 'team: Platform',
      dueAt: i % 9 === 0 ? '2026-10-01T00:00:00.000Z' : '2026-12-20T00:00:00.000Z',
      firstSeenAt: '2026-10-15T10:00:00.000Z', resolvedAt: status === 'RESOLVED' ? '2026-11-10T10:00:00.000Z' : null,
      message: i % 50 === 0 ? `container "app" runs privileged, says "quote", with a comma, and\na newline; ${'long text '.repeat(30)}` : `container "app" in ${control.id} violates the control`,
    };
  };
  const all = Array.from({ length: options.findings }, (_, i) => finding(i));
  const isOpen = (f: ReportFinding) => f.status === 'OPEN' || f.status === 'ACKNOWLEDGED';
  const openBySeverity = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  for (const f of all) if (isOpen(f)) openBySeverity[f.severity] += 1;
  const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 9, 24 + i)).toISOString().slice(0, 10));
  const series = (label: string, base: number) => ({ label, points: days.map((day, i) => ({ day, score: base + Math.round(Math.sin(i / 4) * 60) / 10 + i * 0.3, minScore: base - 2 + i * 0.3, maxScore: base + 8 + i * 0.3 })) });
  const headline = { score: 71.4, passed: count('pass'), failed: count('fail'), notApplicable: count('not_applicable'), manual: count('manual'), accepted: requirements.filter((r) => r.accepted).length };
  return {
    header: {
      reportId: '30000000-0000-4000-8000-000000000001',
      organization: { name: 'Acme Corp', slug: 'acme' },
      framework: { id: framework.id, name: framework.name, version: framework.version },
      scope: { allClusters: true, clusters },
      period: { start: '2026-10-24T00:00:00.000Z', end: '2026-11-23T00:00:00.000Z' },
      generatedAt: '2026-11-23T08:00:00.000Z',
      generatedBy: 'Dana Auditor (dana@example.test)',
      catalogVersion: '0123456789abcdef',
    },
    summary: {
      headline: { ...headline, source: 'score-point', at: '2026-11-22T23:50:00.000Z' },
      byCluster: clusters.map((c, i) => ({ clusterId: c.id, clusterName: c.name, score: { ...headline, score: 60 + i * 10 }, at: '2026-11-22T23:50:00.000Z' })),
      requirements: { pass: count('pass'), fail: count('fail'), manual: count('manual'), not_applicable: count('not_applicable'), provider_responsibility: count('provider_responsibility'), accepted: headline.accepted },
      findings: {
        total: all.length, open: all.filter((f) => f.status === 'OPEN').length, acknowledged: all.filter((f) => f.status === 'ACKNOWLEDGED').length,
        riskAccepted: all.filter((f) => f.status === 'RISK_ACCEPTED').length, resolved: all.filter((f) => f.status === 'RESOLVED').length,
        overdue: all.filter((f) => isOpen(f) && f.dueAt !== null && f.dueAt < '2026-11-23').length, openBySeverity,
      },
    },
    trend: [series('Organization', 64)],
    requirements,
    riskAcceptances: all.filter((f) => f.status === 'RISK_ACCEPTED').slice(0, 12).map((f, i) => ({
      id: `40000000-0000-4000-8000-${String(i).padStart(12, '0')}`, findingId: f.id, controlId: f.controlId, severity: f.severity, resource: `${f.namespace ?? '(cluster)'} / ${f.kind} ${f.name}`,
      clusterName: f.clusterName, justification: i === 0 ? `Legacy driver needs host access until the Q3 migration. ${'Compensating control: node isolation and audit logging. '.repeat(6)}` : 'Vendor appliance; isolated node pool.',
      requestedBy: 'Sam Engineer (sam@example.com)',
      approvedBy: i === 0 ? 'Olivia Margarethe Owner-Vandenberghe (olivia.owner-vandenberghe@security.example.com)' : 'Olivia Owner (olivia@example.com)',
      approvedAt: '2026-11-01T09:00:00.000Z', expiresAt: '2027-02-01T00:00:00.000Z',
      decisionNote: i === 0 ? `Approved for one quarter only. ${'Review the node isolation evidence with the platform team before renewing; the driver vendor committed to a fix in release 4.2. '.repeat(3)}End of note.` : i === 1 ? null : 'Agreed; revisit at renewal.',
    })),
    exceptions: [{ id: '50000000-0000-4000-8000-000000000001', controlId: 'workload.image-mutable-tag', scope: 'NAMESPACE', target: 'prod-1 / ci-runners', reason: 'Build runners pull :latest by design.', createdBy: 'Olivia Owner', createdAt: '2026-09-01T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' }],
    manualRequirements: framework.requirements.filter((r) => !r.notApplicableReason && r.manualEvidence && r.assessment !== 'automated').map((r) => ({ id: r.id, title: r.title, assessment: r.assessment === 'partial' ? 'partial' : 'manual', evidence: r.manualEvidence ?? '' })),
    controlOutcomes: clusters.flatMap((cluster) => controls.map((control) => ({
      clusterId: cluster.id, clusterName: cluster.name, controlId: control.id, controlTitle: control.title, status: failing.has(control.id) ? 'fail' as const : 'pass' as const,
      openFindings: failing.has(control.id) ? 3 : 0, acceptedFindings: 0, evaluatedAt: '2026-11-22T23:50:00.000Z', reason: null,
    }))),
    soa: {
      version: { number: 2, approvedBy: 'Olivia Owner (olivia@example.com)', approvedAt: '2026-11-05T10:00:00.000Z', digest: 'cd'.repeat(32) },
      draft: false, unapprovedChanges: [], coverage: describeCoverage(complianceSummary), byStatus: complianceSummary.byStatus,
    },
    evidence: evidenceItems,
    findings: (filter = {}) => pages(all.filter((f) => !filter.openOnly || isOpen(f)).sort((a, b) => REPORT_SEVERITIES.indexOf(a.severity) - REPORT_SEVERITIES.indexOf(b.severity)), pageSize),
  };
}

async function* pages<T>(items: readonly T[], size: number): AsyncGenerator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) {
    await Promise.resolve();
    yield items.slice(i, i + size);
  }
}
