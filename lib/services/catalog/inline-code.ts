export type TextPart = { code: boolean; text: string };

/**
 * Splits catalog prose on Markdown code spans ("hold `escalate` on roles") into plain and code parts, for pages
 * to render as text and <code> elements (React escapes both: no HTML is ever parsed from the text). The catalog
 * uses no other Markdown inline, so a full Markdown library would be more surface than this needs. As in
 * CommonMark, a span opens with a run of backticks and closes with a run of the same length; an unclosed run
 * stays literal text; one space is trimmed from both ends of a span padded on both sides.
 */
export function splitInlineCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const push = (part: TextPart) => {
    if (part.text === '') return;
    const last = parts.at(-1);
    if (last && !last.code && !part.code) last.text += part.text;
    else parts.push(part);
  };
  let index = 0;
  let plainFrom = 0;
  while (index < text.length) {
    if (text[index] !== '`') { index += 1; continue; }
    let run = index;
    while (text[run] === '`') run += 1;
    const fence = text.slice(index, run);
    const close = findClosing(text, run, fence.length);
    if (close === -1) { index = run; continue; }
    push({ code: false, text: text.slice(plainFrom, index) });
    let body = text.slice(run, close).replace(/\n/g, ' ');
    if (body.length > 2 && body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') body = body.slice(1, -1);
    push({ code: true, text: body });
    index = close + fence.length;
    plainFrom = index;
  }
  push({ code: false, text: text.slice(plainFrom) });
  return parts;
}

function findClosing(text: string, from: number, length: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') { i += 1; continue; }
    let end = i;
    while (text[end] === '`') end += 1;
    if (end - i === length) return i;
    i = end;
  }
  return -1;
}
