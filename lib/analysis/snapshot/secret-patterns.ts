import type { RedactionReason } from './schema';

/**
 * The content patterns behind detectSecretPattern, each written to take linear time on any input: these run
 * on strings a hostile tenant chooses, before the schema caps their length. A regex with a quantified prefix
 * before a required literal (`[a-z][a-z0-9+.-]*://`, `eyJ[\w-]{8,}\.`) retries from every start inside a long
 * run and takes quadratic time (200,000 characters: 50 s). So each pattern either anchors on its literal and
 * reads outwards from it, or has only bounded work per start position. detect.fuzz.test.ts holds them to that
 * on 1 MiB inputs; testdata/detect-worst.json keeps the inputs that were slow before.
 *
 * Hand-written rather than a linear-time regex engine (re2, re2js): the scans are a few lines each, need no
 * native addon in the agent image, and run at V8's speed.
 */
export type SecretPattern = { reason: Exclude<RedactionReason, 'too-long-to-scan'>; matches: (value: string) => boolean };

// -----BEGIN RSA PRIVATE KEY-----: found by its literal; the words between can't hold the space that ends
// each of them, so the sticky regex backtracks at most once per word and never past the next '-'.
const PEM_BEGIN = '-----BEGIN ';
const PEM_PRIVATE_LABEL = /(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/y;

function hasPrivateKey(value: string): boolean {
  for (let at = value.indexOf(PEM_BEGIN); at !== -1; at = value.indexOf(PEM_BEGIN, at + 1)) {
    PEM_PRIVATE_LABEL.lastIndex = at + PEM_BEGIN.length;
    if (PEM_PRIVATE_LABEL.test(value)) return true;
  }
  return false;
}

// Every part has a fixed length, so each start position costs at most 21 steps.
const AWS_ACCESS_KEY = /(?:^|[^A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])/;

// header.payload.signature: eyJ<8+ base64url> . eyJ<8+ base64url> . <base64url>*, with the header's eyJ
// anywhere inside its run (as the regex this replaces allowed). Read one run of base64url characters and dots
// at a time (runs don't overlap) and check neighbouring segments, instead of retrying from every eyJ.
const JWT_RUN = /[A-Za-z0-9_.-]+/g;
const JWT_MIN_SEGMENT = 'eyJ'.length + 8;

function isJwtRun(run: string): boolean {
  const segments = run.split('.');
  for (let i = 0; i + 2 < segments.length; i++) {
    const header = segments[i] ?? '';
    const payload = segments[i + 1] ?? '';
    if (payload.length < JWT_MIN_SEGMENT || !payload.startsWith('eyJ')) continue;
    const eyj = header.indexOf('eyJ');
    if (eyj !== -1 && eyj <= header.length - JWT_MIN_SEGMENT) return true;
  }
  return false;
}

function hasJwt(value: string): boolean {
  if (!value.includes('.eyJ')) return false;
  for (const [run] of value.matchAll(JWT_RUN)) if (run.length >= 2 * JWT_MIN_SEGMENT + 2 && isJwtRun(run)) return true;
  return false;
}

// Each format starts with a literal and either has a fixed length, or ends in an open run (which succeeds as soon
// as it is long enough), or (SendGrid) has a '.' its first run can't contain: bounded work per start. The literal
// is looked for first with indexOf, so a value without it costs one fast scan instead of a regex attempt per character.
const KNOWN_TOKEN_FORMATS: ReadonlyArray<{ literal: string; regex: RegExp }> = [
  { literal: 'gh', regex: /gh[pousr]_[A-Za-z0-9]{36,}/ }, // GitHub
  { literal: 'github_pat_', regex: /github_pat_[A-Za-z0-9_]{22,}/ },
  { literal: 'glpat-', regex: /glpat-[A-Za-z0-9_-]{20,}/ }, // GitLab
  { literal: 'xox', regex: /xox[abposr]-[A-Za-z0-9-]{10,}/ }, // Slack
  { literal: 'hooks.slack.com/services/', regex: /hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/ },
  { literal: 'k_', regex: /(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/ }, // Stripe
  { literal: 'whsec_', regex: /whsec_[A-Za-z0-9]{24,}/ },
  { literal: 'AIza', regex: /AIza[0-9A-Za-z_-]{35}/ }, // Google API key
  { literal: 'npm_', regex: /npm_[A-Za-z0-9]{36}/ },
  { literal: 'SG.', regex: /SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ }, // SendGrid
  { literal: 'sk-', regex: /sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/ }, // OpenAI, Anthropic
  { literal: 'dop_v1_', regex: /dop_v1_[a-f0-9]{64}/ }, // DigitalOcean
];

function hasKnownTokenFormat(value: string): boolean {
  return KNOWN_TOKEN_FORMATS.some(({ literal, regex }) => value.includes(literal) && regex.test(value));
}

// scheme://user:password@host, found from each '://'. The scheme run before it (letters, digits, + . -, with a
// letter somewhere) and the user:password@ after it stop at '/' or ':', so the text read for one '://' never
// overlaps the text read for the next.
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
const USER_PASSWORD_AT = /[^\s/:@]+:[^\s/@]+@/y;

function hasSchemeBefore(value: string, separator: number): boolean {
  for (let at = separator - 1; at >= 0 && SCHEME_CHAR.test(value.charAt(at)); at--) if (LETTER.test(value.charAt(at))) return true;
  return false;
}

function hasCredentialUrl(value: string): boolean {
  for (let at = value.indexOf('://'); at !== -1; at = value.indexOf('://', at + 1)) {
    if (!hasSchemeBefore(value, at)) continue;
    USER_PASSWORD_AT.lastIndex = at + 3;
    if (USER_PASSWORD_AT.test(value)) return true;
  }
  return false;
}

/** In the order detectSecretPattern tries them; the first that matches names the reason. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { reason: 'private-key', matches: hasPrivateKey },
  { reason: 'aws-access-key', matches: (value) => AWS_ACCESS_KEY.test(value) },
  { reason: 'jwt', matches: hasJwt },
  { reason: 'known-token-format', matches: hasKnownTokenFormat },
  { reason: 'credential-url', matches: hasCredentialUrl },
];
