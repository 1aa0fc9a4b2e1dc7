import { FRAMEWORK_ALIASES, type FrameworkId } from '@/lib/analysis/frameworks';
import { AppError } from '@/lib/platform/errors';

/** A framework id or alias from the URL (iso, cis, nsa, or the full id); anything else is not found. */
export function frameworkFromParam(value: string): FrameworkId {
  const id = Object.hasOwn(FRAMEWORK_ALIASES, value) ? FRAMEWORK_ALIASES[value] : undefined;
  if (!id) throw new AppError('not_found', 'Framework not found (use cis-k8s-1.9, iso27001-2022 or nsa-k8s-1.2)');
  return id;
}
