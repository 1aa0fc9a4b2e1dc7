import { COMPLIANCE_STATUS_DEFINITIONS, COMPLIANCE_STATUS_LABELS, type ComplianceStatus } from '@/lib/analysis/frameworks/compliance-status';

const STYLES: Record<ComplianceStatus, string> = {
  passed: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  failed: 'bg-red-50 text-red-800 ring-red-200',
  passed_with_accepted_risk: 'bg-violet-50 text-violet-800 ring-violet-200',
  evidence_provided: 'bg-teal-50 text-teal-800 ring-teal-200',
  evidence_missing: 'bg-amber-50 text-amber-900 ring-amber-200',
  not_assessed: 'bg-slate-50 text-slate-700 ring-slate-200',
  excluded: 'bg-slate-100 text-slate-700 ring-slate-300',
  provider_responsibility: 'bg-sky-50 text-sky-800 ring-sky-200',
};

/** A requirement's status in the one vocabulary (lib/analysis/frameworks/compliance-status.ts); its definition on hover. */
export function ComplianceStatusBadge({ status }: { status: ComplianceStatus }) {
  return (
    <span data-status={status} title={COMPLIANCE_STATUS_DEFINITIONS[status]}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${STYLES[status]}`}>
      {COMPLIANCE_STATUS_LABELS[status]}
    </span>
  );
}
