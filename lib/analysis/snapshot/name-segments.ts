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

/** The segment being read. A class rather than two closures per call: this runs for every env var name of a snapshot. */
class SegmentBuffer {
  length = 0;
  text = '';
  constructor(private readonly onSegment: (segment: string | null) => void) {}

  flush(): void {
    if (this.length > 0) this.onSegment(this.length <= MAX_SHORT_SEGMENT ? this.text : null);
    this.length = 0;
    this.text = '';
  }

  append(char: string): void {
    if (this.length < MAX_SHORT_SEGMENT + 1) this.text += char;
    this.length++;
  }
}

export function forEachNameSegment(name: string, onSegment: (segment: string | null) => void): void {
  const segment = new SegmentBuffer(onSegment);
  let previousIsLowerOrDigit = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 128) {
      if (previousIsLowerOrDigit && isUpper(code)) segment.flush(); // fooBar: a segment starts at the capital
      if (isUpperOrDigit(code)) segment.append(name.charAt(i));
      else if (code >= 97 && code <= 122) segment.append(String.fromCharCode(code - 32));
      else segment.flush();
      previousIsLowerOrDigit = isLowerOrDigit(code);
      continue;
    }
    // Outside ASCII: upper-casing may give ASCII letters (ß → SS, ı → I, ﬁ → FI) that join the segment, as
    // upper-casing the whole name would. Case mapping to upper case has no context, so one character at a time is the same.
    const codePoint = name.codePointAt(i) ?? code;
    const char = String.fromCodePoint(codePoint);
    if (codePoint > 0xffff) i++;
    for (const upper of char.toUpperCase()) {
      if (isUpperOrDigit(upper.charCodeAt(0)) && upper.length === 1) segment.append(upper);
      else segment.flush();
    }
    previousIsLowerOrDigit = false;
  }
  segment.flush();
}
