import { CATALOG, CATALOG_VERSION } from '../../analysis/controls/catalog';
import { FRAMEWORKS, listControlRequirementMappings } from '../../analysis/frameworks';
import { PLATFORM_CONTROLS } from './platform-controls';
import { systemDb } from '../../platform/db/tenant';
import type { Severity } from '../../platform/db/client';

export function requirementKey(frameworkId: string, code: string): string {
  return `${frameworkId}:${code}`;
}

/**
 * Writes the frameworks, requirements, controls and their mappings from the code (lib/analysis/frameworks and
 * lib/analysis/controls are the single source). Idempotent; a removed mapping is removed.
 */
export async function seedCatalog(): Promise<{ frameworks: number; requirements: number; controls: number; mappings: number }> {
  const db = systemDb();
  const controls = [
    ...CATALOG.map((c) => ({ id: c.id, title: c.title, description: c.description, rationale: c.rationale, remediation: c.remediation, severity: c.severity.toUpperCase() as Severity, kinds: [...c.kinds] })),
    ...PLATFORM_CONTROLS,
  ];
  const mappings = listControlRequirementMappings().map((m) => ({ controlId: m.controlId, requirementId: requirementKey(m.frameworkId, m.requirementId) }));
  let requirements = 0;
  await db.$transaction(async (tx) => {
    for (const framework of FRAMEWORKS) {
      await tx.framework.upsert({ where: { id: framework.id }, create: { id: framework.id, name: framework.name, version: framework.version }, update: { name: framework.name, version: framework.version } });
      for (const [index, requirement] of framework.requirements.entries()) {
        const data = {
          frameworkId: framework.id, code: requirement.id, title: requirement.title, description: requirement.description,
          assessment: requirement.notApplicableReason ? 'not_applicable' : requirement.assessment,
          manualEvidence: requirement.manualEvidence ?? requirement.notApplicableReason ?? null, sortOrder: index,
        };
        await tx.requirement.upsert({ where: { id: requirementKey(framework.id, requirement.id) }, create: { id: requirementKey(framework.id, requirement.id), ...data }, update: data });
        requirements += 1;
      }
    }
    for (const control of controls) {
      const data = { ...control, catalogVersion: CATALOG_VERSION };
      await tx.control.upsert({ where: { id: control.id }, create: data, update: data });
    }
    await tx.controlRequirement.deleteMany({});
    await tx.controlRequirement.createMany({ data: mappings, skipDuplicates: true });
  }, { timeout: 120_000 });
  return { frameworks: FRAMEWORKS.length, requirements, controls: controls.length, mappings: mappings.length };
}
