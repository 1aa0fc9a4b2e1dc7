import { describe, expect, it } from 'vitest';
import { contentDigestOfDocument, reportContentDigest } from './content-digest';
import { sampleReportData } from './sample-report';
import type { ReportData, ReportFinding } from './types';

async function allFindings(data: ReportData): Promise<ReportFinding[]> {
  const found: ReportFinding[] = [];
  for await (const page of data.findings()) found.push(...page);
  return found;
}

describe('the content digest of a report', () => {
  it('is the SHA-256 of the canonical JSON of the whole data, though the findings are read page by page', async () => {
    const data = sampleReportData({ findings: 250, pageSize: 40 });
    const { findings: _pages, ...rest } = data;
    const digest = await reportContentDigest(data);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).toBe(contentDigestOfDocument({ ...rest, findings: await allFindings(data) }));
  });

  it('changes when one finding or the organization name changes, and not when nothing does', async () => {
    const data = sampleReportData({ findings: 30 });
    const digest = await reportContentDigest(data);
    expect(await reportContentDigest(sampleReportData({ findings: 30 }))).toBe(digest);
    const renamed = { ...data, header: { ...data.header, organization: { ...data.header.organization, name: 'Acme Corp.' } } };
    expect(await reportContentDigest(renamed)).not.toBe(digest);
    const findings = await allFindings(data);
    const changed: ReportData = { ...data, findings: () => (async function* () { yield findings.map((f, i) => (i === 7 ? { ...f, severity: 'LOW' as const } : f)); })() };
    expect(await reportContentDigest(changed)).not.toBe(digest);
  });

  it('holds when a string in the data looks like the findings key', async () => {
    const data = sampleReportData({ findings: 5 });
    const tricky = { ...data, header: { ...data.header, organization: { ...data.header.organization, name: '"findings":"bulwark-content-digest-findings"' } } };
    const { findings: _pages, ...rest } = tricky;
    expect(await reportContentDigest(tricky)).toBe(contentDigestOfDocument({ ...rest, findings: await allFindings(tricky) }));
  });
});
