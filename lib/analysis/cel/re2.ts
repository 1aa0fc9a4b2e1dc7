import { RE2JS } from '@bufbuild/re2';

/**
 * RE2 patterns compiled once (linear-time matching, the syntax Kubernetes' CEL uses). Shared by the library's
 * `re2Matches` function and the fast path (fast.ts), so both answer from the same compiled pattern. Bounded.
 */
const re2Cache = new Map<string, RE2JS>();

export function re2(pattern: string): RE2JS {
  let compiled = re2Cache.get(pattern);
  if (!compiled) {
    compiled = RE2JS.compile(pattern);
    if (re2Cache.size > 500) re2Cache.clear();
    re2Cache.set(pattern, compiled);
  }
  return compiled;
}
