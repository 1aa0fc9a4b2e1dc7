/**
 * The upper-case segments of a name (FOO_BAR, foo-bar, foo.bar and fooBar all give FOO and BAR), read in one pass.
 * It gives exactly what `name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/)` gives
 * without its empty parts (detect.fuzz.test.ts checks that), but without building a string per segment: that
 * took about 2 s per MiB of camelCase, and names come from snapshots a tenant controls.
 *
 * Segments longer than MAX_SHORT_SEGMENT are reported as null: no word the detectors look for is that long.
 */
export const MAX_SHORT_SEGMENT = 16;

const isUpper = (code: number) => code >= 65 && code <= 90;
const isLowerOrDigit = (code: number) => (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
const isUpperOrDigit = (code: number) => isUpper(code) || (code >= 48 && code <= 57);

export function forEachNameSegment(name: string, onSegment: (segment: string | null) => void): void {
  let length = 0;
  let text = '';
  const flush = () => {
    if (length > 0) onSegment(length <= MAX_SHORT_SEGMENT ? text : null);
    length = 0;
    text = '';
  };
  const append = (char: string) => {
    if (length < MAX_SHORT_SEGMENT + 1) text += char;
    length++;
  };
  let previousIsLowerOrDigit = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 128) {
      if (previousIsLowerOrDigit && isUpper(code)) flush(); // fooBar: a segment starts at the capital
      if (isUpperOrDigit(code)) append(name.charAt(i));
      else if (code >= 97 && code <= 122) append(String.fromCharCode(code - 32));
      else flush();
      previousIsLowerOrDigit = isLowerOrDigit(code);
      continue;
    }
    // Outside ASCII: upper-casing may give ASCII letters (ß → SS, ı → I, ﬁ → FI) that join the segment, as
    // upper-casing the whole name would. Case mapping to upper case has no context, so one character at a time is the same.
    const codePoint = name.codePointAt(i) ?? code;
    const char = String.fromCodePoint(codePoint);
    if (codePoint > 0xffff) i++;
    for (const upper of char.toUpperCase()) {
      if (isUpperOrDigit(upper.charCodeAt(0)) && upper.length === 1) append(upper);
      else flush();
    }
    previousIsLowerOrDigit = false;
  }
  flush();
}
