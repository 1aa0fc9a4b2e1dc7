import type { TenantDb } from '../../platform/db/tenant';

/**
 * How findings name an organization's own control (`custom.<key>`): its title, with the version that produced the
 * finding (recorded in the finding's evidence by the engine: `{ type: 'expression', controlVersion }`). Rooms that
 * list or show findings (findings, digests) read it here instead of showing the bare id.
 */
export const CUSTOM_PREFIX = 'custom.';

export type CustomControlLabel = { customControlId: string; key: string; title: string; currentVersion: number; enabled: boolean };

/** The custom controls among these control ids, by control id (`custom.<key>`); other ids are ignored. */
export async function customControlLabels(db: Pick<TenantDb, 'customControl'>, controlIds: Iterable<string>): Promise<Map<string, CustomControlLabel>> {
  const keys = [...new Set([...controlIds].filter((id) => id.startsWith(CUSTOM_PREFIX)).map((id) => id.slice(CUSTOM_PREFIX.length)))];
  if (keys.length === 0) return new Map();
  const rows = await db.customControl.findMany({ where: { key: { in: keys } }, select: { id: true, key: true, title: true, currentVersion: true, enabled: true } });
  return new Map(rows.map((row) => [`${CUSTOM_PREFIX}${row.key}`, { customControlId: row.id, key: row.key, title: row.title, currentVersion: row.currentVersion, enabled: row.enabled }]));
}

/** The custom control version recorded in a finding's evidence, or null (a built-in control's evidence). */
export function evidenceControlVersion(evidence: unknown): number | null {
  if (typeof evidence !== 'object' || evidence === null) return null;
  const { type, controlVersion } = evidence as { type?: unknown; controlVersion?: unknown };
  return type === 'expression' && typeof controlVersion === 'number' && Number.isInteger(controlVersion) ? controlVersion : null;
}
