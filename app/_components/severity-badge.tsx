const STYLES: Record<string, string> = {
  CRITICAL: 'bg-red-100 text-red-800 ring-red-200',
  HIGH: 'bg-orange-100 text-orange-800 ring-orange-200',
  MEDIUM: 'bg-amber-100 text-amber-800 ring-amber-200',
  LOW: 'bg-slate-100 text-slate-700 ring-slate-200',
};

export function SeverityBadge({ severity }: { severity: string }) {
  const key = severity.toUpperCase();
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[key] ?? STYLES.LOW}`}>
      {key.charAt(0) + key.slice(1).toLowerCase()}
    </span>
  );
}
