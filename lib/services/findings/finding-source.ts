import { IMPORTED_CONTROL_PREFIX, importedControlTitle, parseImportedControlId } from '../../analysis/model/policy-report';
import { ADMISSION_CONTROL_PREFIX } from '../../analysis/engine';
import type { TenantDb } from '../../platform/db/tenant';
import { CUSTOM_PREFIX } from '../policies/control-labels';
import type { FindingSource } from './schemas';

/** The control id prefixes of each source, for the list's filter (catalog: neither of the others). */
export function sourceFilter(source: FindingSource): { prefixes: string[]; negate: boolean } {
  if (source === 'custom') return { prefixes: [CUSTOM_PREFIX], negate: false };
  if (source === 'imported') return { prefixes: [IMPORTED_CONTROL_PREFIX], negate: false };
  if (source === 'admission') return { prefixes: [ADMISSION_CONTROL_PREFIX], negate: false };
  return { prefixes: [CUSTOM_PREFIX, IMPORTED_CONTROL_PREFIX, ADMISSION_CONTROL_PREFIX], negate: true };
}

/**
 * Where a finding comes from, as lists and the API show it: `importedFrom` names the engine (Kyverno, …) whose
 * PolicyReport result it is, null for Bulwark's own findings.
 */
export function findingSourceOf(controlId: string): { source: FindingSource; importedFrom: string | null } {
  const imported = parseImportedControlId(controlId);
  if (imported) return { source: 'imported', importedFrom: imported.sourceLabel };
  // The cluster's own ValidatingAdmissionPolicies (vap.<policy>, issue 23), judged by Bulwark against what runs.
  if (controlId.startsWith(ADMISSION_CONTROL_PREFIX)) return { source: 'admission', importedFrom: null };
  return { source: controlId.startsWith(CUSTOM_PREFIX) ? 'custom' : 'catalog', importedFrom: null };
}

/**
 * Titles of imported findings ("Kyverno policy require-labels / rule check-team"): no catalog row names them, and
 * the rule is in the finding's evidence (one small read, for imported findings only).
 */
export async function importedFindingTitles(db: Pick<TenantDb, 'finding'>, rows: readonly { id: string; controlId: string }[]): Promise<Map<string, string>> {
  const ids = rows.filter((row) => row.controlId.startsWith(IMPORTED_CONTROL_PREFIX)).map((row) => row.id);
  if (ids.length === 0) return new Map();
  const found = await db.finding.findMany({ where: { id: { in: ids } }, select: { id: true, controlId: true, evidence: true } });
  return new Map(found.map((row) => [row.id, importedControlTitle(row.controlId, ruleOf(row.evidence)) ?? row.controlId]));
}

function ruleOf(evidence: unknown): string | null {
  if (typeof evidence !== 'object' || evidence === null) return null;
  const { type, rule } = evidence as { type?: unknown; rule?: unknown };
  return type === 'imported' && typeof rule === 'string' && rule ? rule : null;
}

/**
 * The texts the finding page shows for an imported finding, in place of a catalog control's: which engine judged it,
 * in which report, and how to fix it. Null for any other finding.
 */
export function importedControlOf<S extends string>(finding: { controlId: string; evidence: unknown; resourceKind: string; severity: S }) {
  const imported = parseImportedControlId(finding.controlId);
  if (!imported) return null;
  const rule = ruleOf(finding.evidence);
  const report = reportOf(finding.evidence);
  const label = imported.sourceLabel;
  return {
    id: finding.controlId,
    title: importedControlTitle(finding.controlId, rule) ?? finding.controlId,
    description: `Imported from ${label}'s PolicyReport`,
    rationale: `${label} reported this result${report ? ` in ${report}` : ''}; Bulwark imports it as reported (it did not judge the resource itself) and counts it in no CIS or ISO score.`,
    remediation: `Change the ${finding.resourceKind} so that it satisfies ${label} policy \`${imported.policy}\`${rule ? ` (rule \`${rule}\`)` : ''}, or change the policy in the cluster. The next snapshot's report resolves the finding once ${label} reports a pass.`,
    severity: finding.severity,
  };
}

function reportOf(evidence: unknown): string | null {
  if (typeof evidence !== 'object' || evidence === null) return null;
  const { type, report } = evidence as { type?: unknown; report?: { kind?: unknown; namespace?: unknown; name?: unknown } };
  if (type !== 'imported' || typeof report?.kind !== 'string' || typeof report.name !== 'string') return null;
  return `${report.kind} ${typeof report.namespace === 'string' ? `${report.namespace}/` : ''}${report.name}`;
}

/**
 * Imported controls whose id or title ("Kyverno policy require-labels") contain `needle` (lowercase), for the list's
 * search: they have no catalog row to match. One grouped read of the organization's imported control ids (a
 * cluster's engines write tens of policies, not thousands).
 */
export async function importedControlIdsMatching(db: Pick<TenantDb, 'finding'>, needle: string): Promise<string[]> {
  const groups = await db.finding.groupBy({ by: ['controlId'], where: { controlId: { startsWith: IMPORTED_CONTROL_PREFIX } }, orderBy: { controlId: 'asc' }, take: 2000 });
  return groups.map((group) => group.controlId)
    .filter((id) => id.toLowerCase().includes(needle) || (importedControlTitle(id) ?? '').toLowerCase().includes(needle));
}
