import Link from 'next/link';
import { SeverityBadge } from './severity-badge';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
type Severity = (typeof SEVERITIES)[number];

/** Open findings per severity, most severe first (a severity missing from `counts` has none); each count links to the findings it counts. */
export function SeverityCounts({ counts, href }: { counts: Partial<Record<Severity, number>>; href: (severity: Severity) => string }) {
  return (
    <ul className="space-y-2">
      {SEVERITIES.map((severity) => (
        <li key={severity} className="flex items-center justify-between">
          <SeverityBadge severity={severity} />
          <Link href={href(severity)} className="font-semibold tabular-nums hover:underline">{counts[severity] ?? 0}</Link>
        </li>
      ))}
    </ul>
  );
}
