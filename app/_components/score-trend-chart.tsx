'use client';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

type Point = { day: string; score: number };

/** What the chart shows, in words: its accessible name (the picture itself says nothing to a screen reader). */
export function describeTrend(label: string, data: Point[]): string {
  const first = data[0];
  const last = data.at(-1);
  if (!first || !last) return `${label} score trend: no history yet`;
  const scores = data.map((point) => point.score);
  return `${label} score trend over ${data.length} day${data.length === 1 ? '' : 's'}: from ${first.score}% on ${first.day} to latest ${last.score}% on ${last.day} (low ${Math.min(...scores)}%, high ${Math.max(...scores)}%)`;
}

/**
 * A framework's compliance score over time (daily rollup): the chart is one image named by its summary
 * (describeTrend), with no keyboard stop of its own; "Show as table" gives every day's score to anyone who
 * cannot see or hover the chart.
 */
export function ScoreTrendChart({ data, label }: { data: Point[]; label: string }) {
  if (data.length === 0) return <p className="py-8 text-center text-sm text-slate-600">No history yet.</p>;
  const fillId = `fill-${label.replace(/\W/g, '')}`;
  return (
    <>
      <div role="img" aria-label={describeTrend(label, data)} className="h-40 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -20 }} accessibilityLayer={false}>
            <defs>
              <linearGradient id={fillId} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor="#3b6ef5" stopOpacity={0.35} />
                <stop offset="100%" stopColor="#3b6ef5" stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="day" tick={{ fontSize: 11, fill: '#475569' }} tickFormatter={(d: string) => d.slice(5)} minTickGap={24} />
            <YAxis domain={[0, 100]} tick={{ fontSize: 11, fill: '#475569' }} />
            <Tooltip formatter={(value) => [`${String(value)}%`, 'Score']} labelFormatter={(d) => String(d)} />
            <Area type="monotone" dataKey="score" stroke="#2753e0" strokeWidth={2} fill={`url(#${fillId})`} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600 hover:text-slate-900">Show as table</summary>
        <table className="mt-2 w-full text-left tabular-nums">
          <caption className="sr-only">{label} score by day</caption>
          <thead className="text-xs uppercase text-slate-600">
            <tr><th scope="col" className="py-1 pr-4">Day</th><th scope="col" className="py-1">Score</th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.map((point) => <tr key={point.day}><td className="py-1 pr-4">{point.day}</td><td className="py-1">{point.score}%</td></tr>)}
          </tbody>
        </table>
      </details>
    </>
  );
}
