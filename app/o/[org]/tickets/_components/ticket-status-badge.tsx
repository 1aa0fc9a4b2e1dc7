const STYLES: Record<string, string> = {
  OPEN: 'bg-red-50 text-red-700 ring-red-200',
  INVESTIGATING: 'bg-blue-50 text-blue-700 ring-blue-200',
  MITIGATED: 'bg-amber-50 text-amber-800 ring-amber-200',
  RESOLVED: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  CLOSED: 'bg-slate-100 text-slate-600 ring-slate-200',
};

export function ticketStatusLabel(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

export function TicketStatusBadge({ status }: { status: string }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status] ?? STYLES.CLOSED}`}>{ticketStatusLabel(status)}</span>;
}
