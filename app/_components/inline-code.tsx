import { splitInlineCode } from '@/lib/services/catalog/inline-code';

/** Catalog prose with its `code` spans as <code>; everything is rendered as text (no HTML from the string). */
export function InlineCode({ text }: { text: string }) {
  return (
    <>
      {splitInlineCode(text).map((part, index) => (part.code
        ? <code key={index} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900 [overflow-wrap:anywhere]">{part.text}</code>
        : <span key={index}>{part.text}</span>))}
    </>
  );
}
