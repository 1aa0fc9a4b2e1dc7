import type { TenantDb } from '../../platform/db/tenant';
import { findControl } from '../../analysis/controls/catalog';
import { requirementIdsOf } from '../../analysis/frameworks';
import type { CisFrameworkId } from '../../analysis/frameworks/cis-versions';
import { importedControlTitle } from '../../analysis/model/policy-report';
import { findingStateAt, HISTORY_EVENT_TYPES } from './finding-history';
import type { People } from './people';
import { REPORT_SEVERITIES, type FindingPages, type ReportFinding, type ReportSeverity } from './render/types';

/** Findings are read this many at a time: 20,000 findings never sit in memory at once. */
export const FINDING_PAGE_SIZE = 2_000;

export type FindingScope = {
  clusters: ReadonlyMap<string, string>;
  periodStart: Date;
  periodEnd: Date;
  dueDays: Readonly<Record<ReportSeverity, number>>;
  /** Control titles the catalog does not know (pipeline controls), from the database. */
  controlTitles: ReadonlyMap<string, string>;
  /** Only these controls' findings (an organization framework's report lists its own controls' findings only). */
  controlIds?: readonly string[];
  /** The report's CIS version (`cis_ids` are its item ids): the report's framework if CIS, else the organization's version. */
  cisFrameworkId: CisFrameworkId;
  /** The organization's own controls' CIS (of `cisFrameworkId`) and ISO 27001 requirement ids, from the mapping their evaluated versions had. */
  ownMappings?: ReadonlyMap<string, { cis: string[]; iso: string[] }>;
};

const FINDING_SELECT = {
  id: true, clusterId: true, controlId: true, severity: true, status: true, resolutionReason: true, resolvedAt: true,
  resourceKind: true, resourceNamespace: true, resourceName: true, message: true, firstSeenAt: true,
  assigneeUserId: true, assigneeTeamId: true, dueAt: true,
} as const;

function readPage(db: TenantDb, clusterIds: string[], periodEnd: Date, cursor: string | null, controlIds: readonly string[] | undefined) {
  return db.finding.findMany({
    where: { clusterId: { in: clusterIds }, firstSeenAt: { lte: periodEnd }, ...(controlIds ? { controlId: { in: [...controlIds] } } : {}) },
    orderBy: [{ severity: 'asc' }, { controlId: 'asc' }, { id: 'asc' }],
    take: FINDING_PAGE_SIZE,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: FINDING_SELECT,
  });
}

const isOpen = (finding: ReportFinding): boolean => finding.status === 'OPEN' || finding.status === 'ACKNOWLEDGED';

/**
 * The report's findings, page by page, as they stood at the period end: first seen by then, with status,
 * owner and due date rebuilt from each finding's timeline. A finding already resolved before the period
 * started is left out (it says nothing about the period). Ordered by severity, control, id; cursor paging keeps
 * each query an index range, whatever the page number.
 */
export function createFindingPages(db: TenantDb, scope: FindingScope, people: People, onRowsRead?: (rows: number) => Promise<void> | void): FindingPages {
  const clusterIds = [...scope.clusters.keys()];
  return (options = {}) => ({
    async *[Symbol.asyncIterator]() {
      if (clusterIds.length === 0) return;
      let cursor: string | null = null;
      for (;;) {
        const rows = await readPage(db, clusterIds, scope.periodEnd, cursor, scope.controlIds);
        if (rows.length === 0) return;
        const events = await db.findingEvent.findMany({
          where: { findingId: { in: rows.map((row) => row.id) }, type: { in: [...HISTORY_EVENT_TYPES] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          select: { findingId: true, type: true, createdAt: true, data: true },
        });
        const byFinding = new Map<string, typeof events>();
        for (const event of events) {
          const list = byFinding.get(event.findingId) ?? [];
          list.push(event);
          byFinding.set(event.findingId, list);
        }
        const states = rows.map((row) => ({ row, at: findingStateAt(row, byFinding.get(row.id) ?? [], scope.periodEnd, scope.dueDays) }));
        await people.load(states.map((s) => s.at.assigneeUserId), states.map((s) => s.at.assigneeTeamId));
        const page: ReportFinding[] = [];
        for (const { row, at } of states) {
          if (at.status === 'RESOLVED' && at.resolvedAt && at.resolvedAt < scope.periodStart) continue;
          const control = findControl(row.controlId);
          const finding: ReportFinding = {
            id: row.id,
            clusterId: row.clusterId,
            clusterName: scope.clusters.get(row.clusterId) ?? row.clusterId,
            namespace: row.resourceNamespace,
            kind: row.resourceKind,
            name: row.resourceName,
            controlId: row.controlId,
            // An imported PolicyReport result (issue 23) is named by its engine and policy ("Kyverno policy require-labels").
            controlTitle: control?.title ?? scope.controlTitles.get(row.controlId) ?? importedControlTitle(row.controlId) ?? row.controlId,
            severity: row.severity,
            status: at.status,
            resolutionReason: at.resolutionReason,
            cisIds: [...(control ? requirementIdsOf(control, scope.cisFrameworkId) : scope.ownMappings?.get(row.controlId)?.cis ?? [])],
            isoIds: [...(control?.mappings.iso27001 ?? scope.ownMappings?.get(row.controlId)?.iso ?? [])],
            owner: people.owner(at.assigneeUserId, at.assigneeTeamId),
            dueAt: at.dueAt?.toISOString() ?? null,
            firstSeenAt: row.firstSeenAt.toISOString(),
            resolvedAt: at.resolvedAt?.toISOString() ?? null,
            message: row.message,
          };
          if (!options.openOnly || isOpen(finding)) page.push(finding);
        }
        await onRowsRead?.(rows.length);
        if (page.length > 0) yield page;
        if (rows.length < FINDING_PAGE_SIZE) return;
        cursor = rows[rows.length - 1]?.id ?? null;
      }
    },
  });
}

export type FindingTotals = {
  total: number; open: number; acknowledged: number; riskAccepted: number; resolved: number; overdue: number;
  openBySeverity: Record<ReportSeverity, number>;
  /** clusterId -> controlId -> open (OPEN or ACKNOWLEDGED) and risk-accepted counts at the period end. */
  byClusterControl: Map<string, Map<string, { open: number; accepted: number }>>;
};

/** One pass over the findings for the counts the summary and the requirement results need. */
export async function countFindings(pages: FindingPages, periodEnd: Date): Promise<FindingTotals> {
  const totals: FindingTotals = {
    total: 0, open: 0, acknowledged: 0, riskAccepted: 0, resolved: 0, overdue: 0,
    openBySeverity: Object.fromEntries(REPORT_SEVERITIES.map((s) => [s, 0])) as Record<ReportSeverity, number>,
    byClusterControl: new Map(),
  };
  const end = periodEnd.toISOString();
  for await (const page of pages()) {
    for (const finding of page) {
      totals.total += 1;
      const perControl = totals.byClusterControl.get(finding.clusterId) ?? new Map<string, { open: number; accepted: number }>();
      totals.byClusterControl.set(finding.clusterId, perControl);
      const counts = perControl.get(finding.controlId) ?? { open: 0, accepted: 0 };
      perControl.set(finding.controlId, counts);
      switch (finding.status) {
        case 'OPEN': totals.open += 1; break;
        case 'ACKNOWLEDGED': totals.acknowledged += 1; break;
        case 'RISK_ACCEPTED': totals.riskAccepted += 1; counts.accepted += 1; break;
        case 'RESOLVED': totals.resolved += 1; break;
      }
      if (isOpen(finding)) {
        counts.open += 1;
        totals.openBySeverity[finding.severity] += 1;
        if (finding.dueAt && finding.dueAt < end) totals.overdue += 1;
      }
    }
  }
  return totals;
}
