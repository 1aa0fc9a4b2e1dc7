import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, CSV_COLUMNS, CSV_REQUIREMENT_COLUMNS, renderCsv } from './csv';
import { sampleReportData } from './sample-report';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

/** A strict RFC 4180 reader, to prove the writer's output parses back to the same cells. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i += 1) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && input[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; } else cell += c;
  }
  return rows;
}

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says, and leaves plain text alone', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(null)).toBe('');
    expect(csvRow(['a', 'b,c'])).toBe('a,"b,c"\r\n');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('the CSV report', () => {
  /** The file's two tables: the requirement table, a blank line, the findings table. */
  async function tables(data: ReturnType<typeof sampleReportData>) {
    const rows = parseCsv(await text(renderCsv(data)));
    const blank = rows.findIndex((row) => row.length === 1 && row[0] === '');
    return { requirements: rows.slice(0, blank), findings: rows.slice(blank + 1) };
  }

  it('has a findings table with a header and one row per finding that parses back to the original values', async () => {
    const data = sampleReportData({ findings: 120, pageSize: 50 });
    const rows = (await tables(data)).findings;
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(121);
    expect(rows.every((row) => row.length === CSV_COLUMNS.length)).toBe(true);
    const hostile = rows.find((row) => row[3]?.includes('HYPERLINK'));
    expect(hostile?.[3]).toBe('\'=HYPERLINK("http://evil.example","click")');
    const multiline = rows.find((row) => row[14]?.includes('\n'));
    expect(multiline?.[14]).toContain('with a comma, and\na newline');
    expect(rows[1]?.[7]).toMatch(/^(OPEN|ACKNOWLEDGED|RISK_ACCEPTED|RESOLVED)$/);
  });

  it("starts with the framework's own requirement table, so ISO 27001 and CIS files of one period differ", async () => {
    const iso = sampleReportData({ findings: 10, frameworkId: 'iso27001-2022' });
    const cis = sampleReportData({ findings: 10, frameworkId: 'cis-k8s-1.9' });
    const isoTables = await tables(iso);
    const cisTables = await tables(cis);
    expect(isoTables.requirements[0]).toEqual([...CSV_REQUIREMENT_COLUMNS]);
    expect(isoTables.requirements.slice(1).map((row) => row[0])).toEqual(iso.requirements.map((r) => r.id));
    expect(cisTables.requirements.slice(1).map((row) => row[0])).toEqual(cis.requirements.map((r) => r.id));
    expect(isoTables.requirements.every((row) => row.length === CSV_REQUIREMENT_COLUMNS.length)).toBe(true);
    const failing = iso.requirements.find((r) => r.status === 'fail')!;
    expect(isoTables.requirements.find((row) => row[0] === failing.id)).toEqual([
      failing.id, failing.title, 'Failed', 'failed', 'applicable (default)', '', '', '', 'none', '', 'fail', 'no', failing.assessment,
      failing.controlIds.join(' '), failing.failingControlIds.join(' '), String(failing.openFindings), expect.any(String), expect.any(String),
      '', // organization_controls: no custom control of the organization maps to it
    ]);
  });

  it('gives each requirement its SoA decision, justification, owner and evidence, in the compliance vocabulary', async () => {
    const data = sampleReportData({ findings: 5, frameworkId: 'iso27001-2022' });
    const rows = (await tables(data)).requirements;
    const column = (name: (typeof CSV_REQUIREMENT_COLUMNS)[number]) => CSV_REQUIREMENT_COLUMNS.indexOf(name);
    const rowOf = (id: string) => rows.find((row) => row[0] === id)!;
    const excluded = data.requirements.find((r) => r.applicability === 'excluded')!;
    expect(rowOf(excluded.id)[column('status_at_period_end')]).toBe('Excluded');
    expect(rowOf(excluded.id)[column('applicability')]).toBe('excluded');
    expect(rowOf(excluded.id)[column('justification')]).toBe(excluded.justification);
    const file = data.evidence.find((e) => e.kind === 'file' && e.status === 'accepted')!;
    const provided = rowOf(file.requirementId);
    expect(provided[column('status_at_period_end')]).toBe('Evidence provided');
    expect(provided[column('owner')]).toBe('Olivia Owner (olivia@example.com)');
    expect(provided[column('evidence_state')]).toBe('current');
    expect(provided[column('evidence')]).toBe(`${file.title} (file ${file.fileName} sha256:${file.sha256}, collected ${file.collectedAt.slice(0, 10)}, valid until ${file.validUntil.slice(0, 10)}, reviewed by ${file.reviewedBy} on ${file.reviewedAt!.slice(0, 10)}): accepted`);
    const expired = data.evidence.find((e) => e.status === 'expired')!;
    expect(rowOf(expired.requirementId)[column('status_at_period_end')]).toBe('Evidence missing or expired');
    expect(rowOf(expired.requirementId)[column('evidence')]).toContain(': expired');
    // No "Not applicable" without a reason anywhere in the table.
    expect(rows.slice(1).map((row) => row[column('status_at_period_end')])).not.toContain('Not applicable');
  });

  it('lists each risk acceptance in force with its approver, expiry and justification beside the requirements it covers', async () => {
    const data = sampleReportData({ findings: 200, frameworkId: 'iso27001-2022' });
    const acceptance = data.riskAcceptances[0]!;
    const covering = data.requirements.filter((r) => r.controlIds.includes(acceptance.controlId));
    expect(covering.length).toBeGreaterThan(0);
    const rows = (await tables(data)).requirements;
    for (const requirement of covering) {
      const row = rows.find((r) => r[0] === requirement.id)!;
      expect(Number(row[CSV_REQUIREMENT_COLUMNS.indexOf('accepted_risks')])).toBeGreaterThan(0);
      const details = row[CSV_REQUIREMENT_COLUMNS.indexOf('accepted_risk_details')];
      expect(details).toContain(`approved by ${acceptance.approvedBy}`);
      expect(details).toContain(`expires ${acceptance.expiresAt.slice(0, 10)}`);
      expect(details).toContain(acceptance.justification);
    }
  });
});
