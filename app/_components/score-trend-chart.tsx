'use client';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** A framework's compliance score over time (daily rollup). */
export function ScoreTrendChart({ data, label }: { data: { day: string; score: number }[]; label: string }) {
  if (data.length === 0) return <p className="py-8 text-center text-sm text-slate-500">No history yet.</p>;
  return (
    <div role="img" aria-label={`${label} score trend, ${data.length} days, latest ${data.at(-1)?.score ?? 0}%`} className="h-40 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -20 }}>
          <defs>
            <linearGradient id={`fill-${label.replace(/\W/g, '')}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#3b6ef5" stopOpacity={0.35} />
              <stop offset="100%" stopColor="#3b6ef5" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="day" tick={{ fontSize: 11, fill: '#64748b' }} tickFormatter={(d: string) => d.slice(5)} minTickGap={24} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 11, fill: '#64748b' }} />
          <Tooltip formatter={(value) => [`${String(value)}%`, 'Score']} labelFormatter={(d) => String(d)} />
          <Area type="monotone" dataKey="score" stroke="#2753e0" strokeWidth={2} fill={`url(#fill-${label.replace(/\W/g, '')})`} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
