import { InlineCode } from './inline-code';

/** Remediation text as written in the catalog: prose paragraphs with `inline code`, and ``` fenced blocks shown as code. */
export function Remediation({ text }: { text: string }) {
  const parts = text.split(/```[a-z]*\n?/);
  return (
    <div className="space-y-2 text-sm">
      {parts.map((part, index) => {
        const body = part.replace(/\n+$/, '');
        if (!body.trim()) return null;
        return index % 2 === 1
          // Wide code scrolls sideways; tabIndex lets a keyboard focus it and scroll with the arrow keys.
          ? <pre key={index} tabIndex={0} className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{body}</pre>
          : <p key={index} className="whitespace-pre-wrap text-slate-800"><InlineCode text={body.trim()} /></p>;
      })}
    </div>
  );
}
