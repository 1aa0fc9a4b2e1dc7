'use client';

import { useId, useRef, useState } from 'react';
import type { VerifyReportResult } from '@/lib/services/reports/verify-report';
import { formatDateTime, formatDay } from '../_components/date-format';

type State =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string }
  | { kind: 'done'; fileName: string; result: VerifyReportResult }
  | { kind: 'error'; fileName: string; message: string };

const SIGNATURE_TEXT: Record<string, string> = {
  valid: 'Valid, by the certificate this Bulwark signs reports with',
  'valid-earlier-certificate': 'Valid, by the certificate this Bulwark signed with when it issued the report (replaced since)',
  invalid: 'Does not verify',
  unsigned: 'None (issued before Bulwark signed its reports)',
};

const FORMAT_TEXT: Record<string, string> = { PDF: 'PDF', CSV: 'CSV', JSON: 'JSON', OSCAL: 'OSCAL assessment results (JSON)' };

async function check(file: File): Promise<VerifyReportResult> {
  const response = await fetch('/api/verify', { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  const body = (await response.json().catch(() => null)) as VerifyReportResult | { error?: { message?: string } } | null;
  if (!response.ok || !body || !('issued' in body)) {
    const message = body && 'error' in body && body.error?.message ? body.error.message : `The check failed (HTTP ${response.status}). Try again.`;
    throw new Error(message);
  }
  return body;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-0.5 py-1.5 sm:grid-cols-[9rem_1fr] sm:gap-3">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500 sm:text-sm sm:normal-case sm:tracking-normal">{label}</dt>
      <dd className="min-w-0 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Result({ fileName, result }: { fileName: string; result: VerifyReportResult }) {
  if (!result.issued) {
    return (
      <section aria-labelledby="verify-result" className="rounded-xl border border-red-200 bg-red-50 p-4">
        <h2 id="verify-result" className="font-semibold text-red-900">Not issued by this Bulwark, or changed</h2>
        <p className="mt-1 text-sm text-red-900">
          No report this Bulwark issued has exactly these bytes. Either another system made <span className="break-all font-medium">{fileName}</span>,
          or it was modified after it was downloaded: a single changed byte is enough.
        </p>
        <dl className="mt-2"><Row label="File SHA-256"><code className="break-all text-xs">{result.sha256}</code></Row></dl>
      </section>
    );
  }
  const signatureBad = result.signature !== null && (result.signature.status === 'invalid');
  return (
    <section aria-labelledby="verify-result" className={`rounded-xl border p-4 ${signatureBad ? 'border-amber-300 bg-amber-50' : 'border-emerald-200 bg-emerald-50'}`}>
      <h2 id="verify-result" className={`font-semibold ${signatureBad ? 'text-amber-900' : 'text-emerald-900'}`}>Issued by this Bulwark, unchanged</h2>
      <p className="mt-1 text-sm text-slate-700">
        <span className="break-all font-medium">{fileName}</span> is byte for byte the report this Bulwark issued.
      </p>
      <dl className="mt-2 divide-y divide-slate-200/70">
        <Row label="Organization">{result.organization}</Row>
        <Row label="Framework">{result.framework.name}{result.framework.version ? ` ${result.framework.version}` : ''}</Row>
        <Row label="Period">{formatDay(result.period.start)} to {formatDay(result.period.end)} <span className="text-slate-500">(as of {formatDateTime(result.period.end)})</span></Row>
        <Row label="Issued">{formatDateTime(result.issuedAt)}</Row>
        <Row label="Format">{FORMAT_TEXT[result.format] ?? result.format}</Row>
        {result.signature && (
          <Row label="Signature">
            {SIGNATURE_TEXT[result.signature.status] ?? result.signature.status}
            {result.signature.signer ? <span className="block text-slate-500">Signer: {result.signature.signer}</span> : null}
          </Row>
        )}
        <Row label="File SHA-256"><code className="break-all text-xs">{result.sha256}</code></Row>
        {result.contentSha256 && <Row label="Content SHA-256"><code className="break-all text-xs">{result.contentSha256}</code></Row>}
      </dl>
    </section>
  );
}

export function VerifyForm() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  async function verify(file: File | undefined) {
    if (!file) return;
    setState({ kind: 'checking', fileName: file.name });
    try {
      setState({ kind: 'done', fileName: file.name, result: await check(file) });
    } catch (error) {
      setState({ kind: 'error', fileName: file.name, message: (error as Error).message });
    } finally {
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <div
        onDragOver={(event) => { event.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => { event.preventDefault(); setDragging(false); void verify(event.dataTransfer.files[0]); }}
        className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed px-4 py-8 text-center transition-colors ${dragging ? 'border-brand-500 bg-brand-50' : 'border-slate-300 bg-white'}`}
      >
        <p className="text-sm text-slate-700">Drop the report file here, or</p>
        <label htmlFor={inputId} className="inline-flex cursor-pointer items-center justify-center rounded-md bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-within:outline focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-600">
          Choose a file
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".pdf,.csv,.json,application/pdf,text/csv,application/json"
            className="sr-only"
            onChange={(event) => void verify(event.target.files?.[0])}
          />
        </label>
      </div>
      <div aria-live="polite" className="min-h-6">
        {state.kind === 'checking' && <p className="text-sm text-slate-600">Checking {state.fileName}…</p>}
        {state.kind === 'error' && <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">{state.message}</p>}
        {state.kind === 'done' && <Result fileName={state.fileName} result={state.result} />}
      </div>
    </div>
  );
}
