const DAY_MS = 86_400_000;

/** "2026-11-23 14:05 UTC": times on record pages are absolute and in one zone, so two readers agree. */
export function formatDateTime(date: Date | string): string {
  const value = typeof date === 'string' ? new Date(date) : date;
  return `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-11-23" (UTC). */
export function formatDay(date: Date | string): string {
  return (typeof date === 'string' ? new Date(date) : date).toISOString().slice(0, 10);
}

/** The UTC day `days` after `from`, as YYYY-MM-DD: bounds for date inputs, computed on the server. */
export function dayAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * DAY_MS).toISOString().slice(0, 10);
}
