import { authorize } from '../../platform/auth/permissions';
import type { OrgContext } from '../../platform/auth/context';
import { dbFor } from '../../platform/db/tenant';
import { writeAudit } from './write-audit';
import { AuditQuerySchema, auditWhere, type AuditQuery, type AuditQueryInput } from './list-audit';
import { parseInput } from '@/lib/platform/input';

export const AUDIT_CSV_COLUMNS = [
  'seq', 'createdAt', 'actorType', 'actorId', 'actorLabel', 'action', 'targetType', 'targetId', 'before', 'after', 'ip', 'userAgent', 'prevHash', 'hash',
] as const;

const CHUNK = 1_000;

/**
 * One CSV field. We write the escaping ourselves rather than add a CSV library for one direction of one
 * format: RFC 4180 is three rules (quote a field holding a comma, quote or line break; double the quotes
 * inside; CRLF between records), and this function is unit-tested on each.
 * Spreadsheet formula injection: a text cell starting with = + - @ (or a tab/CR, which some spreadsheets
 * strip before looking) is prefixed with a single quote so it is shown, not evaluated. An actor label, a
 * user agent or a resource name is attacker-chosen text, and auditors open these files in Excel.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  else if (typeof value === 'string') text = value;
  else text = JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

async function* auditCsvLines(ctx: OrgContext, query: AuditQuery): AsyncGenerator<string> {
  const db = dbFor(ctx);
  yield csvRecord(AUDIT_CSV_COLUMNS);
  // Oldest first, so the file reads as the chain does and can be re-verified; bounded memory per chunk.
  for (let after = 0; ;) {
    const rows = await db.auditLog.findMany({ where: { ...auditWhere(query), seq: { gt: after } }, orderBy: { seq: 'asc' }, take: CHUNK });
    let chunk = '';
    for (const row of rows) chunk += csvRecord(AUDIT_CSV_COLUMNS.map((column) => row[column]));
    if (chunk) yield chunk;
    const last = rows.at(-1);
    if (!last || rows.length < CHUNK) return;
    after = last.seq;
  }
}

/**
 * The filtered audit log as a streamed CSV (for `new Response(stream)`), read in chunks of 1,000 entries.
 * Permission is checked and the export itself is recorded in the log before the first byte is produced.
 */
export async function exportAuditCsv(ctx: OrgContext, input: AuditQueryInput = {}): Promise<ReadableStream<Uint8Array>> {
  authorize(ctx, 'audit.read');
  const query = parseInput(AuditQuerySchema, input);
  await dbFor(ctx).$transaction((tx) => writeAudit(tx, ctx, { action: 'audit.exported', targetType: 'AuditLog', after: { filters: query } }));
  const lines = auditCsvLines(ctx, query);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
