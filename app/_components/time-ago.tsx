const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 hours ago", with the exact UTC time on hover. Rendered on the server from `now`. */
export function TimeAgo({ date, now = new Date(), empty = 'never' }: { date: Date | string | null | undefined; now?: Date; empty?: string }) {
  if (!date) return <span className="text-slate-500">{empty}</span>;
  const value = typeof date === 'string' ? new Date(date) : date;
  const diff = value.getTime() - now.getTime();
  const [unit, ms] = UNITS.find(([, size]) => Math.abs(diff) >= size) ?? ['second', 1000];
  return <time dateTime={value.toISOString()} title={value.toISOString().replace('T', ' ').slice(0, 19) + ' UTC'}>{format.format(Math.round(diff / ms), unit)}</time>;
}
