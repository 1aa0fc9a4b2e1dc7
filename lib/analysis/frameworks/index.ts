import { CATALOG } from '@/lib/analysis/controls/catalog';
import type { Control } from '@/lib/analysis/model/control';
import { cisItemIdsOf, cisRequirements, translateCisItem } from './cis-k8s';
import { iso27001Requirements } from './iso27001';
import { NSA_REQUIREMENTS } from './nsa';
import type { Framework, FrameworkId } from './types';
import { cisFrameworkIdOf, CIS_VERSIONS, isCisFrameworkId, type CisVersion } from './cis-versions';

export type { Assessment, Framework, FrameworkId, Requirement } from './types';

/** Every framework Bulwark reports against. The database seed is built from this export: it is the single source. */
export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'cis-k8s-1.9',
    name: 'CIS Kubernetes Benchmark',
    version: '1.9',
    source:
      'Item ids of the CIS Kubernetes Benchmark v1.9 (sections 1-4 as kube-bench configures them, Apache-2.0); titles and descriptions are Bulwark\'s paraphrase (no CIS text).',
    requirements: cisRequirements('1.9'),
  },
  {
    id: 'cis-k8s-1.12',
    name: 'CIS Kubernetes Benchmark',
    version: '1.12',
    source:
      'Item ids of the CIS Kubernetes Benchmark v1.12, the newest kube-bench ships (sections 1-4 from its configuration, Apache-2.0); titles and descriptions are Bulwark\'s paraphrase (no CIS text).',
    requirements: cisRequirements('1.12'),
  },
  {
    id: 'iso27001-2022',
    name: 'ISO/IEC 27001:2022 Annex A',
    version: '2022',
    source: 'Annex A control ids and titles; Kubernetes evidence levels are Bulwark\'s judgement (lib/analysis/frameworks/data).',
    requirements: iso27001Requirements(),
  },
  {
    id: 'nsa-k8s-1.2',
    name: 'NSA/CISA Kubernetes Hardening Guide',
    version: '1.2',
    source: 'Sections of the NSA/CISA Kubernetes Hardening Guide v1.2 (public domain), named in Bulwark\'s words.',
    requirements: NSA_REQUIREMENTS,
  },
];

export const FRAMEWORK_IDS: readonly FrameworkId[] = FRAMEWORKS.map((framework) => framework.id);

/** Short names the CLI and API accept. */
export const FRAMEWORK_ALIASES: Readonly<Record<string, FrameworkId>> = {
  cis: 'cis-k8s-1.9',
  iso27001: 'iso27001-2022',
  iso: 'iso27001-2022',
  nsa: 'nsa-k8s-1.2',
  'cis-k8s-1.9': 'cis-k8s-1.9',
  'cis-k8s-1.12': 'cis-k8s-1.12',
  'iso27001-2022': 'iso27001-2022',
  'nsa-k8s-1.2': 'nsa-k8s-1.2',
};

/**
 * A framework named in a URL or on the command line (a full id or an alias). `cis` alone is the organization's
 * version when one is given (pages and the v1 API pass it), v1.9 otherwise (the offline CLI).
 */
export function frameworkFromAlias(value: string, cisVersion?: CisVersion): FrameworkId | undefined {
  if (value === 'cis' && cisVersion) return cisFrameworkIdOf(cisVersion);
  return Object.hasOwn(FRAMEWORK_ALIASES, value) ? FRAMEWORK_ALIASES[value] : undefined;
}

export function findFramework(id: FrameworkId): Framework | undefined {
  return FRAMEWORKS.find((framework) => framework.id === id);
}

/**
 * The frameworks an organization sees, given its CIS Kubernetes Benchmark version (Settings → Benchmark): that
 * CIS version (never the other one: item ids differ between versions), ISO 27001 and NSA, in that order.
 */
export function frameworkIdsForCis(version: CisVersion): FrameworkId[] {
  return [cisFrameworkIdOf(version), 'iso27001-2022', 'nsa-k8s-1.2'];
}

/** How pages name a framework: CIS with its version ("CIS Kubernetes Benchmark v1.12"), the others by name. */
export function frameworkTitle(id: FrameworkId): string {
  const framework = findFramework(id);
  if (!framework) return id;
  return id.startsWith('cis-') ? `${framework.name} v${framework.version}` : framework.name;
}

/** The requirement ids of a framework that a control is mapped to. */
export function requirementIdsOf(control: Pick<Control, 'id' | 'mappings'>, frameworkId: FrameworkId): readonly string[] {
  switch (frameworkId) {
    case 'cis-k8s-1.9':
      return control.mappings.cis;
    case 'cis-k8s-1.12':
      return cisItemIdsOf(control, '1.12');
    case 'iso27001-2022':
      return control.mappings.iso27001;
    case 'nsa-k8s-1.2':
      return control.mappings.nsa ?? [];
  }
}

/**
 * The requirement references (`<frameworkId>:<code>`) an organization's control mapped to `ref` speaks to: `ref`
 * itself, and for a CIS item the same item in the other benchmark versions (translateCisItem), so a control mapped to
 * v1.9's 5.1.1 counts in v1.12's score as well. Any other reference is returned alone.
 */
export function equivalentRequirementRefs(ref: string): string[] {
  const colon = ref.indexOf(':');
  const frameworkId = ref.slice(0, colon);
  if (colon <= 0 || !isCisFrameworkId(frameworkId)) return [ref];
  const code = ref.slice(colon + 1);
  const from = frameworkId.slice('cis-k8s-'.length) as CisVersion;
  const refs = [ref];
  for (const to of CIS_VERSIONS) {
    if (to === from) continue;
    for (const id of translateCisItem(code, from, to)) refs.push(`${cisFrameworkIdOf(to)}:${id}`);
  }
  return refs;
}

/** requirement id -> ids of the catalog controls that decide it, for one framework (catalog order). */
export function listRequirementControls(frameworkId: FrameworkId, catalog: readonly Control[] = CATALOG): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const control of catalog) {
    for (const requirementId of requirementIdsOf(control, frameworkId)) {
      const list = map.get(requirementId) ?? [];
      list.push(control.id);
      map.set(requirementId, list);
    }
  }
  return map;
}

/** Flat control <-> requirement pairs for every framework: what the seed writes into its mapping table. */
export function listControlRequirementMappings(): { frameworkId: FrameworkId; requirementId: string; controlId: string }[] {
  return FRAMEWORKS.flatMap((framework) =>
    [...listRequirementControls(framework.id)].flatMap(([requirementId, controlIds]) =>
      controlIds.map((controlId) => ({ frameworkId: framework.id, requirementId, controlId })),
    ),
  );
}
