import { parseImportedControlId } from '@/lib/analysis/model/policy-report';

/**
 * Marks a finding imported from a cluster's PolicyReports (issue 23): Bulwark did not judge it, the named engine
 * (Kyverno, …) did, and it counts in no CIS or ISO score. Nothing for Bulwark's own findings.
 */
export function ImportedMarker({ controlId }: { controlId: string }) {
  const imported = parseImportedControlId(controlId);
  if (!imported) return null;
  return (
    <span className="ml-1.5 rounded bg-teal-50 px-1 py-0.5 text-xs whitespace-nowrap text-teal-900" data-testid="imported-marker"
      title={`Imported from ${imported.sourceLabel}'s PolicyReport as reported; counted in no CIS or ISO score`}>
      imported from {imported.sourceLabel}
    </span>
  );
}

