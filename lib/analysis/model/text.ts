/**
 * The string without its trailing slashes. A loop, not `replace(/\/+$/, '')`: that regex retries from every
 * slash of a long run that doesn't end the string and takes quadratic time (40,000 slashes: 2 s), and these
 * strings (hostPath paths) come from snapshots a tenant controls.
 */
export function withoutTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end--;
  return value.slice(0, end);
}
