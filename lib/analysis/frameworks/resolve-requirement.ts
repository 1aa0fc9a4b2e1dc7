import { FRAMEWORKS } from './index';
import type { Framework, FrameworkId } from './types';

export type RequirementFilter =
  | { ok: true; frameworkId: FrameworkId; requirementCode: string; inferred: boolean }
  | { ok: false; message: string };

/**
 * A requirement filter as people type it: "5.2.2" alone, or with its framework. Requirement ids are unique to
 * one framework in most cases (CIS items are numbers, ISO controls start with "A."), so a lone id names its
 * framework; an id no framework has, or one several share, is an error that says which, never a silently
 * dropped filter.
 */
export function resolveRequirementFilter(requirement: string, frameworkId?: string, frameworks: readonly Framework[] = FRAMEWORKS): RequirementFilter {
  const code = requirement.trim();
  const matches = (framework: Framework) => framework.requirements.find((r) => r.id.toLowerCase() === code.toLowerCase());
  if (frameworkId) {
    const framework = frameworks.find((f) => f.id === frameworkId);
    if (!framework) return { ok: false, message: `Unknown framework "${frameworkId}".` };
    const found = matches(framework);
    if (!found) return { ok: false, message: `${framework.name} has no requirement "${code}". Pick one from the list, or clear the requirement.` };
    return { ok: true, frameworkId: framework.id, requirementCode: found.id, inferred: false };
  }
  const candidates = frameworks.flatMap((framework) => {
    const found = matches(framework);
    return found ? [{ framework, id: found.id }] : [];
  });
  const [only] = candidates;
  if (candidates.length === 1 && only) return { ok: true, frameworkId: only.framework.id, requirementCode: only.id, inferred: true };
  // Versions of one benchmark (CIS v1.9 and v1.12) share most ids: a lone id means the first listed, v1.9.
  if (only && candidates.every((c) => c.framework.name === only.framework.name)) {
    return { ok: true, frameworkId: only.framework.id, requirementCode: only.id, inferred: true };
  }
  if (candidates.length === 0) return { ok: false, message: `No framework has a requirement "${code}". Choose a framework and pick one of its requirements.` };
  return { ok: false, message: `Requirement "${code}" exists in ${candidates.map((c) => c.framework.name).join(' and ')}: choose the framework.` };
}
