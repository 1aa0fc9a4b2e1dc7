import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildOscalAssessmentResults, oscalControlId, renderOscal } from './oscal';
import { renderJson } from './json';
import { sampleReportData } from './sample-report';

// OSCAL's uuid type: RFC 4122 version 4 or 5. Its token type: starts with a letter or underscore.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const TOKEN = /^[\p{L}_][\p{L}\p{N}._-]*$/u;
const DATETIME_TZ = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function collectUuids(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectUuids(item, out));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'uuid' || key.endsWith('-uuid')) && typeof child === 'string') out.push(child);
      else collectUuids(child, out);
    }
  }
  return out;
}

// NIST's OSCAL 1.1.2 assessment-results JSON schema (draft-07), vendored with its provenance in schemas/PROVENANCE.md.
const SCHEMA_FILE = new URL('./schemas/oscal_assessment-results_schema-1.1.2.json', import.meta.url);
const SCHEMA_TEXT = readFileSync(SCHEMA_FILE);
const SCHEMA_SHA256 = readFileSync(new URL('./schemas/PROVENANCE.md', import.meta.url), 'utf8').match(/Vendored file SHA-256:\*\* `([0-9a-f]{64})`/)?.[1];
// strict: false checks documents against the schema without linting NIST's schema itself (it uses keywords
// such as `$id` fragments that ajv's strict mode reports).
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateAssessmentResults = ajv.compile(JSON.parse(SCHEMA_TEXT.toString('utf8')) as object);

function schemaErrors(document: unknown): string[] {
  return validateAssessmentResults(document) ? [] : (validateAssessmentResults.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

async function oscalText(data: ReturnType<typeof sampleReportData>): Promise<string> {
  let json = '';
  for await (const chunk of renderOscal(data)) json += chunk;
  return json;
}

describe('the OSCAL document against NIST\'s OSCAL 1.1.2 assessment-results JSON schema', () => {
  it('uses the vendored schema file recorded in PROVENANCE.md, unchanged', () => {
    const schema = JSON.parse(SCHEMA_TEXT.toString('utf8')) as { $id: string; $schema: string };
    expect(schema.$id).toBe('http://csrc.nist.gov/ns/oscal/1.1.2/oscal-ar-schema.json');
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(createHash('sha256').update(SCHEMA_TEXT).digest('hex')).toBe(SCHEMA_SHA256);
  });

  for (const frameworkId of ['cis-k8s-1.9', 'iso27001-2022'] as const) {
    it(`validates the rendered ${frameworkId} document, with SoA decisions and evidence in it`, async () => {
      const data = sampleReportData({ findings: 50, frameworkId });
      expect(data.evidence.length).toBeGreaterThan(0);
      expect(schemaErrors(JSON.parse(await oscalText(data)))).toEqual([]);
    });
  }

  it('validates a report with no clusters, no evidence and no exclusions (optional arrays left out, not empty)', async () => {
    const data = sampleReportData({ findings: 0, clusters: 0 });
    data.evidence = [];
    data.controlOutcomes = [];
    data.requirements = data.requirements.map((r) => ({ ...r, applicability: 'applicable', justification: null }));
    expect(schemaErrors(JSON.parse(await oscalText(data)))).toEqual([]);
  });

  it('rejects documents NIST\'s schema forbids (the validator is live)', async () => {
    const doc = JSON.parse(await oscalText(sampleReportData({ findings: 5 }))) as ReturnType<typeof buildOscalAssessmentResults>;
    const result = doc['assessment-results'].results[0]!;
    const badState = structuredClone(doc);
    (badState['assessment-results'].results[0]!.findings![0]!.target.status as { state: string }).state = 'evidence-provided';
    expect(schemaErrors(badState).join('\n')).toMatch(/findings\/0\/target\/status\/state/);
    const noCollected = structuredClone(doc);
    delete (noCollected['assessment-results'].results[0]!.observations![0] as { collected?: string }).collected;
    expect(schemaErrors(noCollected).join('\n')).toMatch(/collected/);
    const multiLineProp = structuredClone(doc);
    multiLineProp['assessment-results'].results[0]!.findings![0]!.props[1]!.value = 'two\nlines';
    expect(schemaErrors(multiLineProp).join('\n')).toMatch(/props\/1\/value/);
    expect(result.findings?.length).toBeGreaterThan(0);
  });
});

describe('OSCAL: the Statement of Applicability and the evidence', () => {
  it('lists excluded requirements as excluded with their justification, and gives each requirement in scope its vocabulary status', async () => {
    const data = sampleReportData({ findings: 20, frameworkId: 'iso27001-2022' });
    const doc = JSON.parse(await oscalText(data)) as ReturnType<typeof buildOscalAssessmentResults>;
    const result = doc['assessment-results'].results[0]!;
    const selection = result['reviewed-controls']['control-selections'][0]!;
    const excluded = data.requirements.filter((r) => r.applicability === 'excluded');
    expect(excluded.length).toBeGreaterThan(0);
    expect((selection['exclude-controls'] ?? []).map((c) => c['control-id'])).toEqual(excluded.map((r) => r.id));
    expect(selection.remarks).toContain(`${excluded[0]!.id} ${excluded[0]!.title}: excluded. Justification: ${excluded[0]!.justification}`);
    const findingOf = (id: string) => result.findings!.find((f) => f.props.some((p) => p.name === 'label' && p.value === id));
    expect(findingOf(excluded[0]!.id)).toBeUndefined();
    const propOf = (finding: ReturnType<typeof findingOf>, name: string) => finding?.props.find((p) => p.name === name)?.value;

    const provider = data.requirements.find((r) => r.applicability === 'provider_responsibility')!;
    expect(propOf(findingOf(provider.id), 'compliance-status')).toBe('provider_responsibility');
    expect(findingOf(provider.id)?.target.status).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(findingOf(provider.id)?.remarks).toContain('Justification:');

    const provided = data.requirements.find((r) => r.complianceStatus === 'evidence_provided')!;
    const providedFinding = findingOf(provided.id)!;
    expect(providedFinding.target.status).toEqual({ state: 'satisfied', reason: 'pass' });
    expect(propOf(providedFinding, 'owner')).toBe('Olivia Owner (olivia@example.com)');
    const missing = data.requirements.find((r) => r.complianceStatus === 'evidence_missing')!;
    expect(findingOf(missing.id)?.target.status).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(propOf(findingOf(missing.id), 'compliance-status')).toBe('evidence_missing');
    const failed = data.requirements.find((r) => r.complianceStatus === 'failed')!;
    expect(findingOf(failed.id)?.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(result.props.find((p) => p.name === 'soa-version')?.value).toBe('2');
  });

  it('references each piece of evidence as an observation with relevant-evidence pointing at a back-matter resource, without the file', async () => {
    const data = sampleReportData({ findings: 5, frameworkId: 'iso27001-2022' });
    const doc = JSON.parse(await oscalText(data)) as ReturnType<typeof buildOscalAssessmentResults>;
    const ar = doc['assessment-results'];
    const result = ar.results[0]!;
    const file = data.evidence.find((e) => e.kind === 'file' && e.status === 'accepted')!;
    const observation = result.observations!.find((o) => o.title === `Evidence for ${file.requirementId}: ${file.title}`)!;
    expect(observation).toMatchObject({ methods: ['EXAMINE'], collected: file.collectedAt, expires: file.validUntil });
    expect(observation.props).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'reviewed-by', value: file.reviewedBy }), expect.objectContaining({ name: 'evidence-status', value: 'accepted' }),
    ]));
    const href = ('relevant-evidence' in observation ? observation['relevant-evidence'] : [])[0]!.href;
    const resource = ar['back-matter'].resources.find((r) => `#${r.uuid}` === href)!;
    expect(resource.title).toBe(file.title);
    expect('props' in resource ? resource.props : []).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'sha256', value: file.sha256 }), expect.objectContaining({ name: 'file-name', value: file.fileName })]));
    expect(JSON.stringify(resource)).not.toContain('base64');
    const finding = result.findings!.find((f) => f.props.some((p) => p.name === 'label' && p.value === file.requirementId))!;
    expect(finding['related-observations']).toContainEqual({ 'observation-uuid': observation.uuid });
    const expired = data.evidence.find((e) => e.status === 'expired')!;
    expect(result.observations!.find((o) => o.title.includes(expired.title))?.props).toContainEqual(expect.objectContaining({ name: 'evidence-status', value: 'expired' }));
  });
});

describe('OSCAL assessment results', () => {
  for (const frameworkId of ['cis-k8s-1.9', 'iso27001-2022'] as const) {
    it(`has the required 1.1.2 structure and one finding per requirement in scope (${frameworkId})`, async () => {
      const data = sampleReportData({ findings: 50, frameworkId });
      let json = '';
      for await (const chunk of renderOscal(data)) json += chunk;
      const doc = JSON.parse(json) as ReturnType<typeof buildOscalAssessmentResults>;
      const ar = doc['assessment-results'];
      expect(Object.keys(doc)).toEqual(['assessment-results']);
      expect(ar.uuid).toMatch(UUID);
      expect(ar.metadata).toMatchObject({ 'oscal-version': '1.1.2' });
      expect(ar.metadata.title).toContain(data.header.framework.name);
      expect(ar.metadata['last-modified']).toMatch(DATETIME_TZ);
      expect(typeof ar.metadata.version).toBe('string');
      expect(ar['import-ap'].href).toMatch(/^#/);
      expect(ar['back-matter'].resources.map((r) => `#${r.uuid}`)).toContain(ar['import-ap'].href);
      expect(ar.results).toHaveLength(1);
      const result = ar.results[0]!;
      for (const key of ['uuid', 'title', 'description', 'start', 'reviewed-controls'] as const) expect(result[key]).toBeTruthy();
      expect(result.start).toMatch(DATETIME_TZ);
      expect(result.end).toMatch(DATETIME_TZ);

      const selected = (result['reviewed-controls']['control-selections'][0]!['include-controls'] ?? []).map((c) => c['control-id']);
      expect(selected).toHaveLength(data.requirements.filter((r) => r.applicability !== 'excluded').length);
      expect(selected.every((id) => TOKEN.test(id))).toBe(true);

      const findings = result.findings ?? [];
      expect(findings).toHaveLength(selected.length);
      expect(new Set(findings.map((f) => f.target['target-id']))).toEqual(new Set(selected));
      for (const finding of findings) {
        expect(finding.uuid).toMatch(UUID);
        expect(finding.title && finding.description).toBeTruthy();
        expect(finding.target.type).toBe('objective-id');
        expect(['satisfied', 'not-satisfied']).toContain(finding.target.status.state);
      }
      const failing = data.requirements.find((r) => r.complianceStatus === 'failed');
      const failingFinding = findings.find((f) => f.props.some((p) => p.name === 'label' && p.value === failing?.id));
      expect(failingFinding?.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });

      const observations = result.observations ?? [];
      expect(observations.length).toBeGreaterThan(0);
      for (const observation of observations) {
        expect(observation.uuid).toMatch(UUID);
        expect(observation.description).toBeTruthy();
        expect(observation.collected).toMatch(DATETIME_TZ);
        if ('subjects' in observation) {
          expect(observation.methods).toEqual(['TEST']);
          expect(observation.subjects[0]?.type).toBe('inventory-item');
        } else {
          expect(observation.methods).toEqual(['EXAMINE']);
        }
      }
      const inventory = new Set((result['local-definitions']?.['inventory-items'] ?? []).map((item) => item.uuid));
      expect(observations.every((o) => !('subjects' in o) || o.subjects.every((s) => inventory.has(s['subject-uuid'])))).toBe(true);
      const observationIds = new Set(observations.map((o) => o.uuid));
      expect(findings.flatMap((f) => f['related-observations'] ?? []).every((r) => observationIds.has(r['observation-uuid']))).toBe(true);

      const uuids = collectUuids(doc);
      expect(uuids.every((u) => UUID.test(u))).toBe(true);
    });
  }

  it('turns CIS item ids, which start with a digit, into tokens and keeps ISO ids as they are', () => {
    expect(oscalControlId('cis-k8s-1.9', '5.1.1')).toBe('cis-5.1.1');
    expect(oscalControlId('iso27001-2022', 'A.8.2')).toBe('A.8.2');
  });
});

describe('the JSON report', () => {
  it('is one JSON document with the report data and every finding', async () => {
    const data = sampleReportData({ findings: 4_321, pageSize: 1_000 });
    let json = '';
    for await (const chunk of renderJson(data)) json += chunk;
    const doc = JSON.parse(json) as { header: { reportId: string }; requirements: unknown[]; findings: { id: string }[] };
    expect(doc.header.reportId).toBe(data.header.reportId);
    expect(doc.requirements).toHaveLength(data.requirements.length);
    expect(doc.findings).toHaveLength(4_321);
    expect(new Set(doc.findings.map((f) => f.id)).size).toBe(4_321);
  });

  it('is valid with no findings at all', async () => {
    let json = '';
    for await (const chunk of renderJson(sampleReportData({ findings: 0 }))) json += chunk;
    expect((JSON.parse(json) as { findings: unknown[] }).findings).toEqual([]);
  });
});
