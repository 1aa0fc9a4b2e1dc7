import type { RedactionReason } from './schema';
import { MAX_SCANNED_VALUE_LENGTH } from './limits';
import { forEachNameSegment } from './name-segments';
import { SECRET_PATTERNS } from './secret-patterns';

/**
 * Detectors for credential-like names and values. They err towards redacting: a false positive hides one
 * harmless value from the dashboard, a false negative ships a credential to a SaaS.
 */

// Whole words that name a credential wherever they appear inside a name ("DBPASSWORD", "client_secret").
const SENSITIVE_SUBSTRINGS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'CREDENTIAL', 'APIKEY', 'ACCESSKEY', 'PRIVATEKEY', 'AUTHTOKEN', 'CONNECTIONSTRING'];
// Short words that only count as a whole segment, so KEYCLOAK_URL and TOKENIZER_MODEL stay readable.
const SENSITIVE_SEGMENTS = new Set(['TOKEN', 'TOKENS', 'KEY', 'KEYS', 'PASS', 'PWD', 'PRIVATE', 'CREDS', 'DSN', 'AUTHORIZATION', 'COOKIE', 'SALT']);
// A last segment that makes the name point at a credential rather than hold one: TOKEN_FILE=/var/run/...,
// SECRET_NAME=db-creds, API_KEY_ID. The value detectors still look at these values.
const REFERENCE_SUFFIXES = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'REF', 'URL', 'URI', 'ENDPOINT', 'ID', 'TTL', 'LENGTH', 'SIZE', 'TYPE', 'EXPIRY',
  'EXPIRES', 'ALGORITHM', 'ALG', 'HEADER', 'FIELD', 'ENABLED', 'REQUIRED', 'POLICY', 'MIN', 'MAX', 'ROTATION',
  'VERSION', 'MOUNT', 'NAMESPACE', 'KIND', 'FORMAT',
]);
// Names of the environment itself, not credentials: PWD is the working directory.
const BENIGN_NAMES = new Set(['PWD', 'OLDPWD']);

/** Whether a variable, header or flag name says its value is a credential (`DB_PASSWORD`, `x-api-key`). */
export function isSensitiveName(name: string): boolean {
  if (name.length > MAX_SCANNED_VALUE_LENGTH) return true; // not a real name; not worth the work of reading it
  // Segments of more than MAX_SHORT_SEGMENT characters come as null: none of the words below is that long.
  const seen = { count: 0, first: null as string | null, last: null as string | null, sensitive: false };
  forEachNameSegment(name, (segment) => {
    if (seen.count === 0) seen.first = segment;
    seen.count++;
    seen.last = segment;
    if (segment !== null && SENSITIVE_SEGMENTS.has(segment)) seen.sensitive = true;
  });
  if (seen.count === 0 || (seen.count === 1 && seen.first !== null && BENIGN_NAMES.has(seen.first))) return false;
  if (seen.count > 1 && seen.last !== null && REFERENCE_SUFFIXES.has(seen.last)) return false;
  if (seen.sensitive) return true;
  // The segments run together: upper-casing maps one character at a time, so this is their concatenation.
  const joined = name.toUpperCase().replace(/[^A-Z0-9]+/g, '');
  return SENSITIVE_SUBSTRINGS.some((word) => joined.includes(word));
}

/** Shannon entropy of a string, in bits per character (per code point). */
export function shannonEntropy(value: string): number {
  // Counted by code point number, not by one-character strings: the same result, without a string per character.
  const counts = new Map<number, number>();
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i) ?? 0;
    if (code > 0xffff) i++;
    counts.set(code, (counts.get(code) ?? 0) + 1);
    length++;
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

const HIGH_ENTROPY_MIN_LENGTH = 20;
const TOKEN_ALPHABET = /^[A-Za-z0-9+/=_.~-]+$/;
const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a whole value looks like a generated token: long, in a token alphabet, mixing character classes,
 * and close to random. Hostnames, paths, UUIDs, image references and sentences don't pass the first filters.
 */
export function isHighEntropyToken(value: string): boolean {
  if (value.length < HIGH_ENTROPY_MIN_LENGTH || !TOKEN_ALPHABET.test(value) || UUID.test(value)) return false;
  if (HEX.test(value)) return value.length >= 32 && shannonEntropy(value) >= 3.5;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  if (classes < 2) return false;
  if (/^[a-z0-9.-]+$/.test(value) && value.includes('.')) return false; // a hostname
  return shannonEntropy(value) >= 4.0;
}

/**
 * No content pattern matches fewer characters than this: the shortest is a credential URL, `a://b:c@` (one scheme
 * letter, `://`, user, `:`, password, `@`); the next are a Slack token (15) and an AWS key (20). Most label values
 * (`web`, `prod`, `v1`) are shorter, and the engine asks this of every label and annotation of a cluster.
 */
export const MIN_PATTERN_LENGTH = 'a://b:c@'.length;

/** Why a value looks like a credential by its content alone, or null. Patterns are searched anywhere in it. */
export function detectSecretPattern(value: string): RedactionReason | null {
  if (value.length < MIN_PATTERN_LENGTH) return null;
  if (value.length > MAX_SCANNED_VALUE_LENGTH) return 'too-long-to-scan';
  for (const { reason, matches } of SECRET_PATTERNS) if (matches(value)) return reason;
  return null;
}

/** Why a value looks like a credential by its content (known formats, then randomness), or null. */
export function detectSecretValue(value: string): RedactionReason | null {
  return detectSecretPattern(value) ?? (isHighEntropyToken(value) ? 'high-entropy' : null);
}

// A flag like --enable-bootstrap-token-auth=true names a token but holds a setting; CIS checks read these.
// A path or a $(OTHER_VAR) reference (Kubernetes expands it from another env var) isn't a credential either.
function isSettingValue(value: string): boolean {
  return /^(?:true|false|yes|no|on|off|enabled|disabled|none|null)$/i.test(value) || value.startsWith('/') || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value);
}

/**
 * Why a named value (env var, HTTP header, command-line flag) must be redacted, or null. Empty values and
 * plain on/off settings stay: they carry no secret, and controls may need them.
 */
export function classifyNamedValue(name: string, value: string): RedactionReason | null {
  if (value === '') return null;
  const byContent = detectSecretValue(value);
  if (byContent) return byContent;
  if (name.length > MAX_SCANNED_VALUE_LENGTH) return 'too-long-to-scan';
  return isSensitiveName(name) && !isSettingValue(value) ? 'sensitive-name' : null;
}

const MAX_CONFIG_LINE = 4096;
// `name = value`, `name: value`, `"name": "value",`: anchored at the line's start, so the scan stays linear.
const CONFIG_LINE = /^\s*["']?([A-Za-z0-9_.-]{1,256})["']?\s*[=:]\s*(.*)$/;
// Templating that fills the value in later: ${DB_PASSWORD}, {{ .Values.password }}, %(password)s, <changeme>.
const PLACEHOLDER = /^(?:\$\{[^}]*\}|\{\{.*\}\}|%\([^)]*\)s|<[^>]*>|\*+)$/;

/**
 * Why a config file (a ConfigMap value) holds a credential in one of its lines, or null: a `key = value` or
 * `key: value` line whose key names a credential (`spring.datasource.password=…`, `  password: …`). Content
 * patterns are searched on the whole value by the caller; randomness is not judged per line (checksums and
 * digests fill config files).
 */
export function detectInConfigFile(text: string): RedactionReason | null {
  if (text.length > MAX_SCANNED_VALUE_LENGTH) return 'too-long-to-scan';
  if (!text.includes('\n') && !/[=:]/.test(text)) return null;
  for (const line of text.split('\n')) {
    if (line.length > MAX_CONFIG_LINE) continue;
    const match = CONFIG_LINE.exec(line);
    if (!match) continue;
    const [, name = '', rawValue = ''] = match;
    const value = rawValue.trim().replace(/,$/, '').trim().replace(/^(["'])(.*)\1$/, '$2');
    if (value === '' || PLACEHOLDER.test(value) || value === '|' || value === '>' || value.startsWith('#')) continue;
    if (isSensitiveName(name) && !isSettingValue(value)) return 'sensitive-name';
  }
  return null;
}