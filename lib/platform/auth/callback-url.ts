import { env } from '../env';

/** Where to go after sign-in when no usable target was given. */
export const DEFAULT_CALLBACK_PATH = '/o';

/**
 * A redirect target we can trust: a path on our own origin, or the fallback. The value is parsed as a browser
 * would parse it (the WHATWG URL parser drops tabs and newlines, reads "\" as "/" and resolves "//host" as
 * another host), then its origin is compared with ours, and only the normalised path, query and hash are
 * returned. String checks like "starts with / but not //" miss `/\evil.com`, `/%5Cevil.com` once decoded, and
 * `/\t/evil.com`; parsing doesn't.
 */
export function safeCallbackPath(value: unknown, options: { base?: string; fallback?: string } = {}): string {
  const base = options.base ?? env().APP_URL;
  const fallback = options.fallback ?? DEFAULT_CALLBACK_PATH;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  let target: URL;
  try {
    target = new URL(value, base);
  } catch {
    return fallback;
  }
  if (target.origin !== new URL(base).origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "https://us//evil.com" is our origin, but its path would leave as a protocol-relative "//evil.com".
  return path.startsWith('//') ? fallback : path;
}
