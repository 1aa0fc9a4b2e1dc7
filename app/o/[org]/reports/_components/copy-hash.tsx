'use client';
import { useState } from 'react';

/** A SHA-256 in monospace: the start is shown, the whole value is selectable and one click copies it. */
export function CopyHash({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex items-center gap-1.5">
      <code title={value} className="select-all rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
        {value.slice(0, 16)}<span className="sr-only">{value.slice(16)}</span><span aria-hidden="true">…</span>
      </code>
      <button
        type="button"
        onClick={() => { void navigator.clipboard?.writeText(value).then(() => setCopied(true)); }}
        className="rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs font-medium hover:bg-slate-50"
        aria-label="Copy the SHA-256"
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </span>
  );
}
