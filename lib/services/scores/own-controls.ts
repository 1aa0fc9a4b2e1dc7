import type { TenantTx } from '../../platform/db/tenant';
import type { VersionedTally } from './control-tallies';

/** How pages and reports name an organization's own control: its title (of the newest version that ran) and versions. */
export type OwnControlLabel = { controlId: string; title: string; versions: number[] };

const CUSTOM_PREFIX = 'custom.';

/**
 * Labels of the custom controls (`custom.<key>`) among the tallies: the title of the newest version that was
 * evaluated, and every evaluated version (several when clusters last ran different versions). A control deleted
 * since keeps its id as its title.
 */
export async function ownControlLabels(tx: Pick<TenantTx, 'customControl' | 'customControlVersion'>, tallies: readonly VersionedTally[]): Promise<Map<string, OwnControlLabel>> {
  const own = tallies.filter((tally) => tally.controlId.startsWith(CUSTOM_PREFIX));
  const out = new Map<string, OwnControlLabel>();
  if (own.length === 0) return out;
  const controls = await tx.customControl.findMany({ where: { key: { in: own.map((t) => t.controlId.slice(CUSTOM_PREFIX.length)) } }, select: { id: true, key: true, title: true } });
  const byKey = new Map(controls.map((c) => [c.key, c]));
  const wanted = own.flatMap((tally) => {
    const control = byKey.get(tally.controlId.slice(CUSTOM_PREFIX.length));
    const newest = tally.controlVersions?.at(-1);
    return control && newest !== undefined ? [{ customControlId: control.id, version: newest }] : [];
  });
  const versions = wanted.length ? await tx.customControlVersion.findMany({ where: { OR: wanted }, select: { customControlId: true, title: true } }) : [];
  const titleOf = new Map(versions.map((v) => [v.customControlId, v.title]));
  for (const tally of own) {
    const control = byKey.get(tally.controlId.slice(CUSTOM_PREFIX.length));
    out.set(tally.controlId, { controlId: tally.controlId, title: (control && (titleOf.get(control.id) ?? control.title)) ?? tally.controlId, versions: tally.controlVersions ?? [] });
  }
  return out;
}

/** "v3", or "v2, v3" when clusters last ran different versions. */
export const versionsText = (versions: readonly number[]) => versions.map((v) => `v${v}`).join(', ');
