const STYLES: Record<string, string> = {
  OPEN: 'bg-red-50 text-red-700 ring-red-200',
  ACKNOWLEDGED: 'bg-blue-50 text-blue-700 ring-blue-200',
  RISK_ACCEPTED: 'bg-violet-50 text-violet-700 ring-violet-200',
  RESOLVED: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  DONE: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  QUEUED: 'bg-slate-50 text-slate-700 ring-slate-200',
  EVALUATING: 'bg-blue-50 text-blue-700 ring-blue-200',
  FAILED: 'bg-red-50 text-red-700 ring-red-200',
  SUPERSEDED: 'bg-slate-50 text-slate-500 ring-slate-200',
  PASS: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  FAIL: 'bg-red-50 text-red-700 ring-red-200',
  MANUAL: 'bg-amber-50 text-amber-800 ring-amber-200',
  NOT_APPLICABLE: 'bg-slate-50 text-slate-500 ring-slate-200',
};

/** A status word in a pill: OPEN -> "Open", RISK_ACCEPTED -> "Risk accepted". */
export function StatusBadge({ status }: { status: string }) {
  const key = status.toUpperCase();
  const label = key.charAt(0) + key.slice(1).toLowerCase().replaceAll('_', ' ');
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[key] ?? STYLES.QUEUED}`}>{label}</span>;
}
