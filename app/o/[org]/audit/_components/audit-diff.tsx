const MAX_VALUE = 160;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = value === undefined ? '–' : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

/**
 * Before and after, one line per key that is in either: `status: "OPEN" → "ACKNOWLEDGED"`. Values are JSON, cut
 * at 160 characters (the CSV export has them whole). Keys that did not change are left out when both sides have them.
 */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="text-slate-500">–</span>;
  if (!isRecord(before ?? {}) || !isRecord(after ?? {})) {
    return <code className="break-all text-xs">{show(before)} → {show(after)}</code>;
  }
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((key) => !(key in b && key in a && JSON.stringify(b[key]) === JSON.stringify(a[key])));
  if (keys.length === 0) return <span className="text-slate-500">no change</span>;
  return (
    <ul className="space-y-0.5 font-mono text-xs">
      {keys.map((key) => (
        <li key={key} className="break-all">
          <span className="text-slate-500">{key}:</span>{' '}
          {key in b && before != null && <><span className="text-red-700">{show(b[key])}</span>{' → '}</>}
          <span className="text-emerald-800">{key in a ? show(a[key]) : '(removed)'}</span>
        </li>
      ))}
    </ul>
  );
}
