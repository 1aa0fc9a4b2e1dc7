import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { container, deployment, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { seedCatalog } from '../catalog/seed-catalog';
import { getDashboard } from '../dashboard/get-dashboard';
import { listFindings } from '../findings/list-findings';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { createCustomControl, setCustomControlEnabled } from '../policies/custom-controls';
import { createOrgFramework, listOrgFrameworks } from '../policies/org-frameworks';
import { requirementStanding, scoreBreakdown } from '../scores/failing-requirements';
import { listScores } from '../scores/read-scores';
import { setCisBenchmark } from '../orgs/settings';
import { generateReport } from './generate-report';
import { downloadReport } from './read-reports';
import { requestReport } from './request-report';
import { createSchedule, updateSchedule } from './schedules';

/**
 * Issue 23: the organization's own controls count where they are mapped. A custom control mapped to ISO 27001 A.8.9
 * and to the organization's framework "Acme platform policy" fails on one Deployment; fixing it passes both again.
 */
afterAll(async () => { await closeProducers(); await disconnectDb(); });

const OUT_DIR = path.resolve(import.meta.dirname, '../../../artifacts/reports');
const DAY = 86_400_000;
const NOW = Date.now();
const at = (daysAgo: number, minutes = 0) => new Date(NOW - daysAgo * DAY + minutes * 60_000);
const day = (date: Date) => date.toISOString().slice(0, 10);

/** A Deployment that passes every catalog control mapped to A.8.9, so only the custom control can fail it. */
const hardened = (name: string, labels: Record<string, string>) => deployment({ name, namespace: 'shop', labels }, {
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [container({
    image: `registry.acme.io/${name}@sha256:${'a'.repeat(64)}`,
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } },
  })],
});
const OWNER_RULE = {
  match: { resources: [{ kinds: ['Deployment'] }] },
  validations: [{ expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels", messageExpression: '"Deployment " + object.metadata.name + " has no owner label"' }],
};

let org: { id: string; slug: string };
let admin: OrgContext;
let auditor: OrgContext;
let auditorUserId: string;
let token: string;

async function pushAndEvaluate(daysAgo: number, batchLabels: Record<string, string>) {
  const snapshot = snapshotOf([namespace('shop'), hardened('web', { owner: 'team-web' }), hardened('batch', batchLabels)], { collectedAt: at(daysAgo).toISOString(), clusterUid: 'uid-own-controls' });
  const pushed = await pushSnapshot(token, snapshot);
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => at(daysAgo, 5));
}

async function report(ctx: OrgContext, frameworkId: string, format: 'PDF' | 'CSV' | 'OSCAL', periodEnd: Date) {
  const requested = await requestReport(ctx, { frameworkId, format, periodStart: day(at(10)), periodEnd: periodEnd.toISOString() });
  await generateReport(systemContext(org.id, 'generate-report'), requested.id);
  return Buffer.from((await downloadReport(ctx, requested.id)).content);
}

/** RFC 4180 text to rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < input.length; i += 1) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && input[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; }
    else cell += c;
  }
  return rows;
}

/** The CSV's first table (requirements) and its second (findings), each with its header row. */
function tables(csv: string) {
  const rows = parseCsv(csv);
  const blank = rows.findIndex((row) => row.length === 1 && row[0] === '');
  const next = rows.findIndex((row, index) => index > blank && row.length === 1 && row[0] === '');
  return { requirements: rows.slice(0, blank), findings: rows.slice(blank + 1, next === -1 ? undefined : next) };
}

beforeAll(async () => {
  await seedCatalog();
  org = await createOrg();
  admin = (await createMember(org, 'ADMIN')).ctx;
  const member = await createMember(org, 'AUDITOR');
  auditor = member.ctx;
  auditorUserId = member.user.id;
  ({ token } = await createClusterWithToken(org, 'prod'));
  await createOrgFramework(admin, {
    key: 'acme-platform', name: 'Acme platform policy', description: 'What Acme asks of every workload',
    requirements: [{ code: 'AP-1', title: 'Every workload has an owner' }, { code: 'AP-2', title: 'Exposures are reviewed' }],
  });
  const control = await createCustomControl(admin, {
    key: 'owner-label', title: 'Deployments have an owner label', severity: 'medium', rationale: 'Someone answers for every workload.',
    remediation: 'Add an owner label.', rule: OWNER_RULE, requirementIds: ['iso27001-2022:A.8.9', 'acme-platform:AP-1'],
  });
  await setCustomControlEnabled(admin, { customControlId: control.id, enabled: true }); // version 2
  await pushAndEvaluate(3, {}); // batch has no owner: the custom control fails
  await pushAndEvaluate(1, { owner: 'team-batch' }); // fixed
}, 120_000);

describe('a custom control mapped to a catalog requirement and to the organization framework', () => {
  it('failed A.8.9 and lowered the ISO 27001 score while it failed, and passes it again once fixed', async () => {
    const db = dbFor(admin);
    const iso = await db.scorePoint.findMany({ where: { clusterId: null, frameworkId: 'iso27001-2022' }, orderBy: { at: 'asc' } });
    expect(iso).toHaveLength(2);
    expect(iso[0]!.failed).toBe(iso[1]!.failed + 1);
    expect(iso[0]!.score).toBeLessThan(iso[1]!.score);

    const runs = await db.evaluationRun.findMany({ orderBy: { startedAt: 'asc' }, select: { requirementResults: true, controlResults: true } });
    const a89 = (run: (typeof runs)[number]) => (run.requirementResults as { frameworkId: string; requirementId: string; status: string; failingControlIds: string[] }[])
      .find((r) => r.frameworkId === 'iso27001-2022' && r.requirementId === 'A.8.9');
    expect(a89(runs[0]!)).toMatchObject({ status: 'fail', failingControlIds: ['custom.owner-label'] });
    expect(a89(runs[1]!)).toMatchObject({ status: 'pass', failingControlIds: [] });
    expect((runs[0]!.controlResults as { controlId: string }[]).find((c) => c.controlId === 'custom.owner-label'))
      .toMatchObject({ status: 'fail', controlVersion: 2, requirementIds: ['iso27001-2022:A.8.9', 'acme-platform:AP-1'] });
    expect((await scoreBreakdown(admin, 'iso27001-2022')).failing.map((r) => r.requirementId)).not.toContain('A.8.9');
  });

  it('the score explanation and the requirement page name the failing custom control as the organization\'s, with its version', async () => {
    // Break it again: the page's breakdown is of the current evaluations.
    await pushAndEvaluate(0.5, {});
    const breakdown = await scoreBreakdown(admin, 'iso27001-2022');
    const a89 = breakdown.failing.find((r) => r.requirementId === 'A.8.9');
    expect(a89?.failingClusters[0]?.failingControls).toEqual([{ id: 'custom.owner-label', title: 'Deployments have an owner label', own: { versions: [2] } }]);
    // The requirement page lists it among the controls deciding A.8.9, as the organization's own.
    const standing = await requirementStanding(auditor, 'iso27001-2022', 'A.8.9');
    expect(standing.status).toBe('fail');
    expect(standing.controls.filter((c) => c.own)).toEqual([{ id: 'custom.owner-label', title: 'Deployments have an owner label', own: { versions: [2] }, status: 'fail', openFindings: 1 }]);
    expect(standing.controls.find((c) => c.id === 'workload.privileged-container')).toMatchObject({ status: 'pass' });
    // "Findings on prod" from the score explanation (framework + requirement filter) lists the custom control's finding.
    const listed = await listFindings(auditor, { frameworkId: 'iso27001-2022', requirementCode: 'A.8.9', status: ['OPEN'] });
    // The dashboard's most failing controls name it by its title.
    expect((await getDashboard(auditor)).topFailingControls).toContainEqual(expect.objectContaining({ controlId: 'custom.owner-label', title: 'Deployments have an owner label', open: 1 }));
    expect(listed.items.map((f) => [f.controlId, f.resourceName])).toEqual([['custom.owner-label', 'batch']]);
    await pushAndEvaluate(0.25, { owner: 'team-batch' });
  });

  it('records the organization framework\'s score with every evaluation, so it has a history', async () => {
    const points = await dbFor(admin).scorePoint.findMany({ where: { frameworkId: 'org:acme-platform' }, orderBy: { at: 'asc' }, select: { clusterId: true, score: true, passed: true, failed: true, manual: true } });
    const orgWide = points.filter((p) => p.clusterId === null);
    expect(orgWide.map((p) => [p.score, p.passed, p.failed, p.manual])).toEqual([[0, 0, 1, 1], [100, 1, 0, 1], [0, 0, 1, 1], [100, 1, 0, 1]]);
    expect(points.filter((p) => p.clusterId !== null)).toHaveLength(4);
    const [framework] = await listOrgFrameworks(admin);
    expect(framework).toMatchObject({ scoreId: 'org:acme-platform', score: { score: 100, passed: 1, failed: 0, manual: 1 } });
    expect(framework?.trend.map((p) => p.day)).toEqual([...new Set([day(at(3, 5)), day(at(1, 5)), day(at(0.5, 5)), day(at(0.25, 5))])].sort());
    expect(framework?.requirements[0]).toMatchObject({ code: 'AP-1', status: 'pass', controls: [{ controlId: 'custom.owner-label', title: 'Deployments have an owner label', versions: [2], status: 'pass' }] });
    // The scores API (GET /api/v1/orgs/{org}/scores?framework=org:acme-platform) serves the same history.
    const history = await listScores(auditor, { framework: 'org:acme-platform', granularity: 'evaluation', from: at(10) });
    expect(history).toMatchObject({ framework: 'org:acme-platform', frameworkName: 'Acme platform policy', cluster: null });
    expect(history.points.map((p) => ('failed' in p ? p.failed : null))).toEqual([1, 0, 1, 0]);
    await expect(listScores(auditor, { framework: 'org:nope' })).rejects.toMatchObject({ code: 'not_found' });
    // The dashboard shows it beside the catalog frameworks, from the same recorded points.
    const [card] = (await getDashboard(auditor)).ownFrameworks;
    expect(card).toMatchObject({ frameworkId: 'org:acme-platform', name: 'Acme platform policy', score: 100, passed: 1, failed: 0, manual: 1 });
    expect(card?.trend.map((p) => p.day)).toEqual(framework?.trend.map((p) => p.day));
  });

  it('an ISO 27001 report as of the failing day lists the custom control under A.8.9, marked as the organization\'s with its version', async () => {
    const csv = tables((await report(auditor, 'iso27001-2022', 'CSV', at(2))).toString('utf8'));
    const header = csv.requirements[0]!;
    const row = csv.requirements.find((r) => r[0] === 'A.8.9')!;
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('status_code')).toBe('failed');
    expect(cell('controls')?.split(' ')).toContain('custom.owner-label');
    expect(cell('failing_controls')).toBe('custom.owner-label');
    expect(cell('organization_controls')).toBe('custom.owner-label v2 (Deployments have an owner label): fail');
    // Its finding carries the ISO id its version mapped it to, as catalog findings carry theirs.
    const findingHeader = csv.findings[0]!;
    const batch = csv.findings.find((row) => row[findingHeader.indexOf('control_id')] === 'custom.owner-label');
    expect(batch?.[findingHeader.indexOf('iso27001_ids')]).toBe('A.8.9');

    const pdf = await report(auditor, 'iso27001-2022', 'PDF', at(2));
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(path.join(OUT_DIR, 'iso27001-with-own-controls.pdf'), pdf);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
      // First in A.8.9's Controls cell (failing, and the organization's own); -layout may put the Open count (1) inside the wrapped cell.
      expect(text).toMatch(/A\.8\.9 Configuration management Failed ✗ custom.owner-label \(organization's own,( 1)? v2\)/);
      expect(text).toMatch(/The organization's own controls .* Deployments have an owner v2 prod Failed 1 A\.8\.9 label \(custom.owner-label\)/);
    }

    // OSCAL: the control's observation says it is the organization's, with its version; a catalog control's says catalog.
    type Observation = { title: string; props: { name: string; value: string }[] };
    const oscal = JSON.parse((await report(auditor, 'iso27001-2022', 'OSCAL', at(2))).toString('utf8')) as { 'assessment-results': { results: { observations?: Observation[] }[] } };
    const observations = oscal['assessment-results'].results[0]?.observations ?? [];
    const propsOf = (observation: Observation | undefined) => Object.fromEntries((observation?.props ?? []).map((p) => [p.name, p.value]));
    const own = observations.find((o) => propsOf(o)['control-id'] === 'custom.owner-label');
    expect(own?.title).toBe("custom.owner-label on prod (the organization's own control)");
    expect(propsOf(own)).toMatchObject({ 'control-origin': 'organization', 'control-versions': '2', result: 'fail' });
    const catalog = observations.find((o) => propsOf(o)['control-id']?.startsWith('workload.'));
    expect(propsOf(catalog)['control-origin']).toBe('catalog');
  }, 60_000);

  it('an auditor gets the organization framework as PDF and CSV: requirements, its controls with versions, their results', async () => {
    const csv = tables((await report(auditor, 'org:acme-platform', 'CSV', at(2))).toString('utf8'));
    const header = csv.requirements[0]!;
    const pick = (row: string[], ...names: string[]) => names.map((name) => row[header.indexOf(name)]);
    expect(csv.requirements.slice(1).map((row) => pick(row, 'requirement_id', 'requirement_title', 'status_code', 'controls', 'organization_controls'))).toEqual([
      ['AP-1', 'Every workload has an owner', 'failed', 'custom.owner-label', 'custom.owner-label v2 (Deployments have an owner label): fail'],
      ['AP-2', 'Exposures are reviewed', 'not_assessed', '', ''],
    ]);
    // Its findings are its own controls' only (the catalog's are in the catalog frameworks' reports).
    const findingHeader = csv.findings[0]!;
    expect(csv.findings.slice(1).map((row) => [row[findingHeader.indexOf('control_id')], row[findingHeader.indexOf('name')], row[findingHeader.indexOf('status_at_period_end')]])).toEqual([
      ['custom.owner-label', 'batch', 'OPEN'],
    ]);

    const pdf = await report(auditor, 'org:acme-platform', 'PDF', at(2));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Kept where a person can open it after a run (artifacts/ is git-ignored).
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(path.join(OUT_DIR, 'org-framework-report.pdf'), pdf);
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('Acme platform policy');
      expect(text).toContain("The organization's own framework (acme-platform)");
      expect(text).toMatch(/AP-1 Every workload has an owner Failed ✗ custom.owner-label \(organization's own, v2\)/);
      expect(text).toMatch(/AP-2 Exposures are reviewed Not assessed by none: evidence is manual/);
      expect(text).toContain("The organization's own controls");
      expect(text).toMatch(/Deployments have an owner v2 prod Failed 1 AP-1 label \(custom.owner-label\)/);
      expect(text).not.toContain('Version 1 of the Statement of Applicability');
      expect(text).not.toContain('No version of the Statement of Applicability had been approved');
    }
  }, 60_000);

  it('refuses OSCAL for it (400), and an unknown or another organization\'s framework (404)', async () => {
    await expect(requestReport(auditor, { frameworkId: 'org:acme-platform', format: 'OSCAL', periodStart: day(at(10)), periodEnd: day(at(1)) })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'format' }] });
    await expect(requestReport(auditor, { frameworkId: 'org:nope', format: 'PDF', periodStart: day(at(10)), periodEnd: day(at(1)) })).rejects.toMatchObject({ code: 'not_found' });
    const other = (await createMember(await createOrg(), 'ADMIN')).ctx;
    await expect(requestReport(other, { frameworkId: 'org:acme-platform', format: 'PDF', periodStart: day(at(10)), periodEnd: day(at(1)) })).rejects.toMatchObject({ code: 'not_found' });
    expect(await dbFor(other).report.count()).toBe(0);
  });

  it('can be scheduled (PDF or CSV), with the same refusals', async () => {
    const base = { frameworkId: 'org:acme-platform', period: 'previous_month', cron: '0 6 1 * *', timeZone: 'UTC', recipientEmails: [], recipientUserIds: [auditorUserId] };
    const schedule = await createSchedule(auditor, { ...base, format: 'CSV' });
    expect(schedule).toMatchObject({ frameworkId: 'org:acme-platform', format: 'CSV' });
    await expect(createSchedule(auditor, { ...base, format: 'OSCAL' })).rejects.toMatchObject({ code: 'invalid', issues: [{ path: 'format' }] });
    await expect(createSchedule(auditor, { ...base, frameworkId: 'org:nope', format: 'PDF' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateSchedule(auditor, { scheduleId: schedule.id, format: 'OSCAL' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('a framework created after the evaluations gets its first score point at once', async () => {
    await createOrgFramework(admin, { key: 'zeta', name: 'Zeta policy', requirements: [{ code: 'Z-1', title: 'Nothing maps here yet' }] });
    const points = await dbFor(admin).scorePoint.findMany({ where: { frameworkId: 'org:zeta' }, select: { clusterId: true, score: true, manual: true, evaluationId: true } });
    expect(points).toEqual([{ clusterId: null, score: 0, manual: 1, evaluationId: null }]);
  });
});

describe('a custom control mapped to a CIS v1.12 item, in an organization on CIS v1.12', () => {
  it('a v1.12 report lists it under that item (marked as the organization\'s) and its finding carries the v1.12 id', async () => {
    const org12 = await createOrg();
    const admin12 = (await createMember(org12, 'ADMIN')).ctx;
    await setCisBenchmark(admin12, { version: '1.12' });
    // CIS v1.12 5.6.4 "The default namespace should not be used" (v1.9's 5.7.4); the organization reads it as "every workload has an owner there too".
    const control = await createCustomControl(admin12, {
      key: 'owner-label-12', title: 'Deployments have an owner label (v1.12)', severity: 'medium', rationale: 'Someone answers for every workload.',
      remediation: 'Add an owner label.', rule: OWNER_RULE, requirementIds: ['cis-k8s-1.12:5.6.4'],
    });
    await setCustomControlEnabled(admin12, { customControlId: control.id, enabled: true }); // version 2
    const { token: token12 } = await createClusterWithToken(org12, 'edge');
    const stray = deployment({ name: 'stray', namespace: 'default', labels: { owner: 'team-web' } }, { containers: [container()] });
    const snapshot = snapshotOf([namespace('shop'), namespace('default'), hardened('web', { owner: 'team-web' }), hardened('batch', {}), stray], { collectedAt: at(3).toISOString(), clusterUid: 'uid-own-controls-12' });
    const pushed = await pushSnapshot(token12, snapshot);
    await evaluateStoredSnapshot(systemContext(org12.id, 'test'), pushed.snapshotId, () => at(3, 5));

    const requested = await requestReport(admin12, { frameworkId: 'cis-k8s-1.12', format: 'CSV', periodStart: day(at(10)), periodEnd: at(2).toISOString() });
    await generateReport(systemContext(org12.id, 'generate-report'), requested.id);
    const csv = tables(Buffer.from((await downloadReport(admin12, requested.id)).content).toString('utf8'));
    const header = csv.requirements[0]!;
    const row = csv.requirements.find((r) => r[0] === '5.6.4')!;
    expect(row[header.indexOf('controls')]?.split(' ')).toContain('custom.owner-label-12');
    expect(row[header.indexOf('failing_controls')]?.split(' ')).toContain('custom.owner-label-12');
    expect(row[header.indexOf('organization_controls')]).toBe('custom.owner-label-12 v2 (Deployments have an owner label (v1.12)): fail');
    const findingHeader = csv.findings[0]!;
    const findings = csv.findings.slice(1);
    const batch = findings.find((r) => r[findingHeader.indexOf('control_id')] === 'custom.owner-label-12');
    expect(batch?.[findingHeader.indexOf('name')]).toBe('batch');
    expect(batch?.[findingHeader.indexOf('cis_ids')]).toBe('5.6.4');
    // The catalog's findings in a v1.12 report carry v1.12 ids too (requirementIdsOf), never v1.9's.
    const builtIn = findings.find((r) => r[findingHeader.indexOf('control_id')] === 'workload.default-namespace');
    expect(builtIn?.[findingHeader.indexOf('name')]).toBe('stray');
    expect(builtIn?.[findingHeader.indexOf('cis_ids')]).toBe('5.6.4');
  }, 60_000);
});
