import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { ReportData } from './types';

/** Stands in for the findings array while the rest is canonicalized (a JSON string cannot hold it unescaped). */
const FINDINGS_SENTINEL = 'bulwark-content-digest-findings';

/**
 * The SHA-256 of what the report says: the RFC 8785 canonical JSON (sorted keys, no whitespace) of its data, the
 * findings array included, as the JSON report carries it. A file cannot print its own SHA-256, so this digest is
 * what the PDF's cover shows; the archive keeps it beside the file's SHA-256.
 *
 * Streamed: the findings are read page by page and fed to the hash between the canonical text before and after
 * them, so the result is the digest of the whole document without holding it in memory. `"findings":"<sentinel>"`
 * can occur only as the top-level key: inside a JSON string every quote is escaped.
 */
export async function reportContentDigest(data: ReportData): Promise<string> {
  const { findings, ...rest } = data;
  const text = canonicalize({ ...rest, findings: FINDINGS_SENTINEL });
  if (text === undefined) throw new Error('report data cannot be canonicalized');
  const marker = `"findings":${JSON.stringify(FINDINGS_SENTINEL)}`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error('report data: findings marker not found');
  const hash = createHash('sha256');
  hash.update(`${text.slice(0, at)}"findings":[`, 'utf8');
  let first = true;
  for await (const page of findings()) {
    for (const finding of page) {
      const item = canonicalize(finding);
      if (item === undefined) throw new Error(`finding ${finding.id} cannot be canonicalized`);
      hash.update(first ? item : `,${item}`, 'utf8');
      first = false;
    }
  }
  hash.update(`]${text.slice(at + marker.length)}`, 'utf8');
  return hash.digest('hex');
}

/** The same digest of data whose findings are all in memory (tests, and anyone re-checking a JSON report). */
export function contentDigestOfDocument(document: unknown): string {
  const text = canonicalize(document);
  if (text === undefined) throw new Error('document cannot be canonicalized');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
