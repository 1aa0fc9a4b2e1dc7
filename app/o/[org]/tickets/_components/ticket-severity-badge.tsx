const STYLES: Record<string, string> = {
  SEV1: 'bg-red-100 text-red-800 ring-red-200',
  SEV2: 'bg-orange-100 text-orange-800 ring-orange-200',
  SEV3: 'bg-amber-100 text-amber-800 ring-amber-200',
  SEV4: 'bg-slate-100 text-slate-700 ring-slate-200',
};

export function TicketSeverityBadge({ severity }: { severity: string }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[severity] ?? STYLES.SEV4}`}>{severity}</span>;
}
