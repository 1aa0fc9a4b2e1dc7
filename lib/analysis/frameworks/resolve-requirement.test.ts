import { describe, expect, it } from 'vitest';
import { resolveRequirementFilter } from './resolve-requirement';
import type { Framework } from './types';

describe('a requirement filter', () => {
  it('names its framework when only one has the requirement', () => {
    expect(resolveRequirementFilter('5.2.2')).toEqual({ ok: true, frameworkId: 'cis-k8s-1.9', requirementCode: '5.2.2', inferred: true });
    expect(resolveRequirementFilter('a.8.9')).toEqual({ ok: true, frameworkId: 'iso27001-2022', requirementCode: 'A.8.9', inferred: true });
  });

  it('keeps the framework it was given, and refuses a requirement that framework does not have', () => {
    expect(resolveRequirementFilter('5.2.2', 'cis-k8s-1.9')).toMatchObject({ ok: true, inferred: false });
    expect(resolveRequirementFilter('A.8.9', 'cis-k8s-1.9')).toEqual({ ok: false, message: expect.stringContaining('has no requirement "A.8.9"') });
  });

  it('says so when no framework, or more than one, has the requirement', () => {
    expect(resolveRequirementFilter('9.9.9')).toEqual({ ok: false, message: expect.stringContaining('No framework has a requirement "9.9.9"') });
    const twins = [
      { id: 'cis-k8s-1.9', name: 'One', requirements: [{ id: 'X.1' }] },
      { id: 'iso27001-2022', name: 'Two', requirements: [{ id: 'X.1' }] },
    ] as unknown as Framework[];
    expect(resolveRequirementFilter('X.1', undefined, twins)).toEqual({ ok: false, message: 'Requirement "X.1" exists in One and Two: choose the framework.' });
  });
});
