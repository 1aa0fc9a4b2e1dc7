import { frameworkFromAlias, type FrameworkId } from '@/lib/analysis/frameworks';
import type { CisVersion } from '@/lib/analysis/frameworks/cis-versions';
import { AppError } from '@/lib/platform/errors';

/** A framework id or alias from the URL (iso, cis = the organization's CIS version, nsa, or the full id); anything else is not found. */
export function frameworkFromParam(value: string, cisVersion: CisVersion): FrameworkId {
  const id = frameworkFromAlias(value, cisVersion);
  if (!id) throw new AppError('not_found', 'Framework not found (use cis, cis-k8s-1.9, cis-k8s-1.12, iso27001-2022 or nsa-k8s-1.2)');
  return id;
}
