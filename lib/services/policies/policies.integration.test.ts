import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CUSTOM_CONTROL_EXAMPLES } from '../../analysis/cel';
import { systemContext, type OrgContext } from '../../platform/auth/context';
import { disconnectDb } from '../../platform/db/client';
import { dbFor } from '../../platform/db/tenant';
import { AppError } from '../../platform/errors';
import { closeProducers } from '../../platform/queue/producers';
import { createClusterWithToken, createMember, createOrg } from '../../testing/factories';
import { ingress, namespace, snapshotOf } from '../../testing/k8s';
import { pushSnapshot } from '../../testing/push';
import { evaluateStoredSnapshot } from '../pipeline/evaluate-stored-snapshot';
import { seedCatalog } from '../catalog/seed-catalog';
import { createCustomControl, getCustomControl, listCustomControls, setCustomControlEnabled, updateCustomControl } from './custom-controls';
import { createOrgFramework, listOrgFrameworks } from './org-frameworks';
import { previewRule } from './preview';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

const example = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === 'ingress-security-review')!;
const rules = (host: string) => [{ host, http: { paths: [] } }];
const objects = (reviewed: string[] = []) => [
  namespace('web'),
  ...['shop', 'api'].map((name) => ingress({ name, namespace: 'web', ...(reviewed.includes(name) ? { annotations: { 'security-review/ticket': 'SEC-1' } } : {}) }, { rules: rules(`${name}.example.com`) })),
  ingress({ name: 'admin', namespace: 'web' }, { rules: rules('admin.corp.internal') }),
];
const content = { title: example.title, severity: example.severity, rationale: example.rationale, remediation: example.remediation, rule: example.rule };

let org: Awaited<ReturnType<typeof createOrg>>;
let admin: OrgContext;
let cluster: { id: string };
let token: string;
let day = 1;

async function pushAndEvaluate(reviewed: string[] = []) {
  day += 1;
  const snapshot = snapshotOf(objects(reviewed), { collectedAt: `2026-04-${String(day).padStart(2, '0')}T10:00:00Z`, clusterUid: 'uid-policies' });
  const pushed = await pushSnapshot(token, snapshot);
  await evaluateStoredSnapshot(systemContext(org.id, 'test'), pushed.snapshotId, () => new Date(`2026-04-${String(day).padStart(2, '0')}T10:05:00Z`));
}
const findings = () => dbFor({ organizationId: org.id }).finding.findMany({
  where: { controlId: 'custom.ingress-security-review' }, orderBy: { resourceName: 'asc' },
  select: { resourceName: true, status: true, resolutionReason: true, message: true, evidence: true },
});

beforeEach(async () => {
  await seedCatalog();
  org = await createOrg();
  admin = (await createMember(org, 'ADMIN')).ctx;
  ({ cluster, token } = await createClusterWithToken(org, 'edge'));
  day = 1;
});

describe('custom controls', () => {
  it('save compiles: a broken expression is a 400 naming the field with line and column, nothing is written', async () => {
    const broken = { ...content, key: 'broken', rule: { ...example.rule, validations: [{ expression: 'object.metadata.\n  annotations[' }] } };
    const error = await createCustomControl(admin, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).issues).toEqual([{ path: 'rule.validations.0.expression', message: expect.stringMatching(/\(line 2, column \d+\)$/) }]);
    const unknownRequirement = await createCustomControl(admin, { ...content, key: 'x', requirementIds: ['acme:AP-9'] }).catch((e: unknown) => e);
    expect((unknownRequirement as AppError).issues[0]?.path).toBe('requirementIds');
    expect(await listCustomControls(admin)).toEqual([]);
  });

  it('a member may read but not write; another organization sees nothing', async () => {
    const member = (await createMember(org, 'MEMBER')).ctx;
    await expect(createCustomControl(member, { ...content, key: 'mine' })).rejects.toMatchObject({ code: 'forbidden' });
    const created = await createCustomControl(admin, { ...content, key: 'ingress-security-review' });
    expect(await listCustomControls(member)).toHaveLength(1);
    const other = await createOrg();
    const outsider = (await createMember(other, 'OWNER')).ctx;
    await expect(getCustomControl(outsider, created.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(setCustomControlEnabled(outsider, { customControlId: created.id, enabled: true })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('preview lists the failing objects of the latest snapshot and stores nothing', async () => {
    await pushAndEvaluate();
    const [result] = await previewRule(admin, { rule: example.rule, clusterIds: [cluster.id] });
    expect(result).toMatchObject({ clusterName: 'edge', evaluated: 3, failingTotal: 2 });
    expect(result?.failing.map((f) => f.name).sort()).toEqual(['api', 'shop']);
    expect(result?.failing.find((f) => f.name === 'shop')?.message).toBe('Ingress shop exposes shop.example.com without a security-review/ticket annotation');
    expect(await findings()).toEqual([]);
    expect(await dbFor({ organizationId: org.id }).customControl.count()).toBe(0);
    await expect(previewRule(admin, { rule: { ...example.rule, validations: [{ expression: 'nope(' }] } })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('versions: each change is a version with its diff; findings record the version; disabling resolves them', async () => {
    const created = await createCustomControl(admin, { ...content, key: 'ingress-security-review' });
    await pushAndEvaluate();
    expect(await findings()).toEqual([]); // disabled controls do not run

    await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true });
    await pushAndEvaluate();
    const opened = await findings();
    expect(opened.map((f) => [f.resourceName, f.status])).toEqual([['api', 'OPEN'], ['shop', 'OPEN']]);
    expect(opened[0]?.evidence).toMatchObject({ type: 'expression', controlVersion: 2, validation: 1 });

    // Version 3: another message. The same findings stay open (same fingerprint) and carry the new message.
    const edited = await updateCustomControl(admin, { customControlId: created.id, ...content, rule: { ...example.rule, validations: [{ ...example.rule.validations[0]!, messageExpression: '"unreviewed exposure: " + object.metadata.name' }] } });
    expect(edited).toMatchObject({ version: 3, changed: true });
    expect(await updateCustomControl(admin, { customControlId: created.id, ...content, rule: { ...example.rule, validations: [{ ...example.rule.validations[0]!, messageExpression: '"unreviewed exposure: " + object.metadata.name' }] } })).toMatchObject({ changed: false });
    await pushAndEvaluate(['shop']);
    const later = await findings();
    expect(later.map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([['api', 'OPEN', null], ['shop', 'RESOLVED', 'FIXED']]);
    expect(later[0]).toMatchObject({ message: 'unreviewed exposure: api', evidence: { controlVersion: 3 } });

    const detail = await getCustomControl(admin, created.id);
    expect(detail.versions.map((v) => [v.version, v.change])).toEqual([[3, null], [2, 'enabled'], [1, null]]);
    expect(detail.versions[0]?.changes).toEqual([{ field: 'rule.validations.0.messageExpression', before: example.rule.validations[0]!.messageExpression, after: '"unreviewed exposure: " + object.metadata.name' }]);
    await expect(dbFor({ organizationId: org.id }).customControlVersion.updateMany({ where: { customControlId: created.id }, data: { title: 'rewritten' } })).rejects.toThrow(/immutable/);

    const disabled = await setCustomControlEnabled(admin, { customControlId: created.id, enabled: false });
    expect(disabled.resolved).toBe(1);
    expect((await findings()).map((f) => [f.resourceName, f.status, f.resolutionReason])).toEqual([['api', 'RESOLVED', 'CONTROL_DISABLED'], ['shop', 'RESOLVED', 'FIXED']]);
    await pushAndEvaluate();
    expect((await findings()).map((f) => f.status)).toEqual(['RESOLVED', 'RESOLVED']);
  });

  it('an organization framework gets a score from the custom controls mapped to it', async () => {
    await createOrgFramework(admin, { key: 'acme-platform', name: 'Acme platform policy', requirements: [{ code: 'AP-1', title: 'Exposures are reviewed' }, { code: 'AP-2', title: 'Owners are known' }] });
    const created = await createCustomControl(admin, { ...content, key: 'ingress-security-review', requirementIds: ['acme-platform:AP-1'] });
    await setCustomControlEnabled(admin, { customControlId: created.id, enabled: true });
    await pushAndEvaluate();
    let [framework] = await listOrgFrameworks(admin);
    expect(framework?.score).toMatchObject({ score: 0, passed: 0, failed: 1, manual: 1 });
    await pushAndEvaluate(['shop', 'api']);
    [framework] = await listOrgFrameworks(admin);
    expect(framework?.score).toMatchObject({ score: 100, passed: 1, failed: 0, manual: 1 });
    expect(framework?.requirements[0]).toMatchObject({ code: 'AP-1', status: 'pass', controls: [{ controlId: 'custom.ingress-security-review', status: 'pass' }] });
  });
});
