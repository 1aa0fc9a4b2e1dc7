/** A due date as YYYY-MM-DD (UTC); past due, it turns red and says "overdue" in words, not only in colour. */
export function DueDate({ date, overdue }: { date: Date | string | null | undefined; overdue: boolean }) {
  if (!date) return <span className="text-slate-500">none</span>;
  const value = typeof date === 'string' ? new Date(date) : date;
  const day = value.toISOString().slice(0, 10);
  if (!overdue) return <time dateTime={value.toISOString()}>{day}</time>;
  return (
    <span className="font-medium text-red-700">
      <time dateTime={value.toISOString()} className="whitespace-nowrap">{day}</time> <span className="rounded bg-red-50 px-1 text-xs ring-1 ring-inset ring-red-200">overdue</span>
    </span>
  );
}
