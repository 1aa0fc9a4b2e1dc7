'use client';
import { useState } from 'react';

/** A read-only value with a copy button (tokens, install commands). */
export function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const [copied, setCopied] = useState(false);
  const id = `copy-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">{label}</label>
      <div className="flex gap-2">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={Math.min(8, value.split('\n').length)} className="w-full rounded-md border border-slate-300 bg-slate-50 p-2 font-mono text-xs" />
        ) : (
          <input id={id} readOnly value={value} className="w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs" />
        )}
        <button
          type="button"
          onClick={() => { void navigator.clipboard?.writeText(value).then(() => setCopied(true)); }}
          className="shrink-0 rounded-md border border-slate-300 bg-white px-2.5 text-xs font-medium hover:bg-slate-50"
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}
