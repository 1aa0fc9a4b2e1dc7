import { describe, expect, it } from 'vitest';
import { CATALOG } from '@/lib/analysis/controls/catalog';
import prowler from './data/map-cis-k8s-to-iso27001-2022.prowler-derived.json';
import { FRAMEWORKS, listControlRequirementMappings, listRequirementControls, requirementIdsOf } from './index';

describe('frameworks', () => {
  it('ships CIS sections 1-5 (v1.9 and v1.12), all 93 ISO 27001:2022 Annex A controls and the NSA/CISA guide sections', () => {
    const counts = Object.fromEntries(FRAMEWORKS.map((f) => [f.id, f.requirements.length]));
    expect(counts['iso27001-2022']).toBe(93);
    // v1.9: 95 items in sections 1-4 (kube-bench cfg/cis-1.9) + 35 in section 5; v1.12: 97 + 34.
    expect(counts['cis-k8s-1.9']).toBe(130);
    expect(counts['cis-k8s-1.12']).toBe(131);
    expect(counts['nsa-k8s-1.2']).toBeGreaterThanOrEqual(15);
    for (const framework of FRAMEWORKS) {
      const ids = framework.requirements.map((r) => r.id);
      expect(new Set(ids).size, framework.id).toBe(ids.length);
      for (const requirement of framework.requirements) {
        expect(requirement.title.length, `${framework.id} ${requirement.id}`).toBeGreaterThan(2);
        if (requirement.assessment === 'manual' && !requirement.notApplicableReason) expect(requirement.manualEvidence, requirement.id).toBeTruthy();
      }
    }
  });

  it('maps every control only to requirements that exist', () => {
    for (const framework of FRAMEWORKS) {
      const ids = new Set(framework.requirements.map((r) => r.id));
      for (const control of CATALOG) {
        for (const id of requirementIdsOf(control, framework.id)) expect(ids.has(id), `${control.id} -> ${framework.id} ${id}`).toBe(true);
      }
    }
  });

  it.each(['cis-k8s-1.9', 'cis-k8s-1.12'] as const)('has a control behind every automated requirement of %s', (id) => {
    const cis = FRAMEWORKS.find((f) => f.id === id);
    const mapped = listRequirementControls(id);
    const uncovered = cis?.requirements.filter((r) => r.assessment !== 'manual' && !mapped.has(r.id)).map((r) => r.id);
    expect(uncovered).toEqual([]);
  });

  it('maps v1.12 items to the same controls as their v1.9 counterparts (5.2.9 of v1.12 is 5.2.10 of v1.9)', () => {
    const v19 = listRequirementControls('cis-k8s-1.9');
    const v112 = listRequirementControls('cis-k8s-1.12');
    expect(v112.get('5.2.9')).toEqual(v19.get('5.2.10'));
    expect(v112.get('5.6.2')).toEqual(v19.get('5.7.2'));
    expect(v112.get('1.2.1')).toEqual(['node.apiserver-anonymous-auth']);
    expect(v112.get('1.2.30')).toEqual(['node.apiserver-service-account-extend-token-expiration']);
    expect(v19.has('1.2.30')).toBe(false);
  });

  it('uses CIS item ids that exist in the benchmark (cross-checked with the Prowler-derived list)', () => {
    const known = new Set(prowler.cis['v1.10'].items.map((item: { id: string }) => item.id));
    const cis = FRAMEWORKS.find((f) => f.id === 'cis-k8s-1.9');
    expect(cis?.requirements.filter((r) => !known.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('exports the control-requirement pairs the database seed writes', () => {
    const pairs = listControlRequirementMappings();
    expect(pairs).toContainEqual({ frameworkId: 'cis-k8s-1.9', requirementId: '5.1.4', controlId: 'rbac.pod-create' });
    expect(new Set(pairs.map((p) => `${p.frameworkId}|${p.requirementId}|${p.controlId}`)).size).toBe(pairs.length);
  });
});

describe('catalog', () => {
  it('has unique, stable-looking ids and complete metadata', () => {
    const ids = CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const control of CATALOG) {
      expect(control.id).toMatch(/^[a-z]+\.[a-z0-9-]+$/);
      expect(control.version).toBeGreaterThanOrEqual(1);
      for (const field of ['title', 'description', 'rationale', 'remediation'] as const) expect(control[field].length, `${control.id}.${field}`).toBeGreaterThan(10);
      expect(control.kinds.length, control.id).toBeGreaterThan(0);
      expect(control.mappings.iso27001.length, control.id).toBeGreaterThan(0);
    }
  });
});
