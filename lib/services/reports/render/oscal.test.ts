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

describe('OSCAL assessment results', () => {
  for (const frameworkId of ['cis-k8s-1.9', 'iso27001-2022'] as const) {
    it(`has the required 1.1.2 structure and one finding per requirement (${frameworkId})`, async () => {
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

      const selected = result['reviewed-controls']['control-selections'][0]!['include-controls'].map((c) => c['control-id']);
      expect(selected).toHaveLength(data.requirements.length);
      expect(selected.every((id) => TOKEN.test(id))).toBe(true);

      const findings = result.findings ?? [];
      expect(findings).toHaveLength(data.requirements.length);
      expect(new Set(findings.map((f) => f.target['target-id']))).toEqual(new Set(selected));
      for (const finding of findings) {
        expect(finding.uuid).toMatch(UUID);
        expect(finding.title && finding.description).toBeTruthy();
        expect(finding.target.type).toBe('objective-id');
        expect(['satisfied', 'not-satisfied']).toContain(finding.target.status.state);
      }
      const failing = data.requirements.find((r) => r.status === 'fail');
      const failingFinding = findings.find((f) => f.props.some((p) => p.name === 'label' && p.value === failing?.id));
      expect(failingFinding?.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });

      const observations = result.observations ?? [];
      expect(observations.length).toBeGreaterThan(0);
      for (const observation of observations) {
        expect(observation.uuid).toMatch(UUID);
        expect(observation.description).toBeTruthy();
        expect(observation.methods).toEqual(['TEST']);
        expect(observation.collected).toMatch(DATETIME_TZ);
        expect(observation.subjects[0]?.type).toBe('inventory-item');
      }
      const inventory = new Set((result['local-definitions']?.['inventory-items'] ?? []).map((item) => item.uuid));
      expect(observations.every((o) => o.subjects.every((s) => inventory.has(s['subject-uuid'])))).toBe(true);
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
