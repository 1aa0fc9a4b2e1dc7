import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderCsv } from './csv';
import { buildOscalAssessmentResults } from './oscal';
import { renderPdf } from './pdf';
import { sampleReportData } from './sample-report';
import type { ReportAccessReview, ReportData } from './types';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const FONT_DIR = path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf');
const FONTS = { regular: readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')), bold: readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL('./schemas/oscal_assessment-results_schema-1.1.2.json', import.meta.url), 'utf8')) as object);

const REVIEW: ReportAccessReview = {
  id: '6f1c1b8e-3f4a-4c55-9d7e-0a1b2c3d4e5f', name: 'Q3 privileged access review', scope: 'privileged rights', clusters: ['prod-eu'],
  startedAt: '2026-07-01T09:00:00.000Z', startedBy: 'olivia@acme.example', dueAt: '2026-07-15T23:59:59.000Z', completedAt: '2026-07-16T10:00:00.000Z',
  signedOffBy: 'olivia@acme.example', summary: 'One stale CI binding revoked and removed.',
  totals: { items: 2, kept: 1, revoked: 1, carriedOut: 1, overdue: 0, newItems: 1 },
  items: [
    { cluster: 'prod-eu', subject: 'ServiceAccount payments/deployer', right: 'get, list secrets cluster-wide', risks: ['secrets-read'], isNew: false, decision: 'keep', reason: 'Deploys read the pull secret', decidedBy: 'dana@acme.example', decidedAt: '2026-07-03T10:00:00.000Z', revocation: null, revocationClosedAt: null },
    { cluster: 'prod-eu', subject: 'ServiceAccount payments/ci', right: 'create pods in payments', risks: ['pod-create'], isNew: true, decision: 'revoke', reason: 'CI moved', decidedBy: 'dana@acme.example', decidedAt: '2026-07-03T10:05:00.000Z', revocation: 'carried out', revocationClosedAt: '2026-07-05T08:00:00.000Z' },
  ],
};

function isoData(): ReportData {
  return { ...sampleReportData({ findings: 10, frameworkId: 'iso27001-2022' }), accessReviews: [REVIEW] };
}

describe('access reviews in ISO 27001 reports (issue 22)', () => {
  it('OSCAL: one observation per review, related to A.5.15, A.5.18 and A.8.2, and the document still validates against NIST\'s schema', () => {
    const doc = buildOscalAssessmentResults(isoData());
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const result = doc['assessment-results'].results[0]!;
    const observation = result.observations?.find((o) => o.title === 'Access review: Q3 privileged access review');
    expect(observation?.description).toContain('payments/ci create pods in payments: revoked by dana@acme.example on 2026-07-03 (CI moved), revocation carried out');
    for (const code of ['A.5.15', 'A.5.18', 'A.8.2']) {
      const finding = result.findings?.find((f) => f.title.startsWith(`${code} `));
      expect(finding?.['related-observations']?.map((r) => r['observation-uuid']), code).toContain(observation?.uuid);
    }
    const other = result.findings?.find((f) => f.title.startsWith('A.8.9 '));
    expect(other?.['related-observations']?.map((r) => r['observation-uuid']) ?? []).not.toContain(observation?.uuid);
  });

  it('CSV: a third table, one row per decision with reviewer, date, reason and whether the revocation was carried out', async () => {
    let csv = '';
    for await (const chunk of renderCsv(isoData())) csv += chunk;
    const tables = csv.split('\r\n\r\n');
    expect(tables).toHaveLength(3);
    const rows = tables[2]!.trim().split('\r\n');
    expect(rows[0]).toBe('access_review,iso27001_ids,signed_off_by,signed_off_at,cluster,subject,right,risks,new_since_last_review,decision,reason,decided_by,decided_at,revocation,revocation_carried_out_at');
    expect(rows[2]).toBe('Q3 privileged access review,A.5.15 A.5.18 A.8.2,olivia@acme.example,2026-07-16T10:00:00.000Z,prod-eu,ServiceAccount payments/ci,create pods in payments,pod-create,yes,revoke,CI moved,dana@acme.example,2026-07-03T10:05:00.000Z,carried out,2026-07-05T08:00:00.000Z');
  });

  it.skipIf(!existsSync('/usr/bin/pdftotext'))('PDF: the access review section names the review, its sign-off, each decision and revocation', async () => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of renderPdf(isoData(), FONTS, { compress: false })) chunks.push(chunk);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bulwark-access-review-')), 'report.pdf');
    writeFileSync(file, Buffer.concat(chunks));
    const text = execFileSync('/usr/bin/pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Access reviews (A.5.15, A.5.18, A.8.2)');
    expect(text).toContain('Access review: Q3 privileged access review');
    expect(text).toContain('signed off 2026-07-16 by olivia@acme.example');
    expect(text).toContain('carried out 2026-07-05');
  });
});
