import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLOBAL_MODELS, TENANT_MODELS } from './tenant-models';
import { withOrg } from './tenant';

const schema = readFileSync(path.resolve(import.meta.dirname, '../../../prisma/schema.prisma'), 'utf8');
const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].map((m) => ({ name: m[1] ?? '', body: m[2] ?? '' }));

describe('tenant models', () => {
  it('lists every model with an organizationId column as tenant-owned', () => {
    const owned = models.filter((m) => /^\s+organizationId\s/m.test(m.body)).map((m) => m.name).sort();
    expect(owned).toEqual([...TENANT_MODELS].sort());
  });

  it('classifies every model as tenant-owned or global, never both', () => {
    for (const model of models) expect(TENANT_MODELS.has(model.name) !== GLOBAL_MODELS.has(model.name), model.name).toBe(true);
  });

  // Lookups that cross tenants on purpose, each served by systemDb() in one named place.
  const CROSS_TENANT_INDEXES = new Set([
    'Membership.userId', // sign-in: a user's memberships in every organization
    'VerifiedDomain.domain', // sign-in: home realm discovery (an email's domain -> the organization's connection)
    'Invitation.email', // sign-in: pending invitations for an address
    'Snapshot.enqueuedAt', // the outbox sweeper
    'DomainEvent.dispatchedAt', // the event dispatcher
    'Report.sha256', // report:verify answers for a file, whoever issued it
    'ReportSchedule.nextRunAt', // the scheduled-report tick: due schedules of every organization (lib/services/reports/run-schedules.ts)
  ]);

  it('starts every index of a tenant-owned model with organizationId, but for the named cross-tenant lookups', () => {
    for (const model of models.filter((m) => TENANT_MODELS.has(m.name))) {
      for (const index of model.body.matchAll(/@@(?:index|unique|id)\(\[(\w+)/g)) {
        if (CROSS_TENANT_INDEXES.has(`${model.name}.${index[1]}`)) continue;
        expect(index[1], `${model.name}: ${index[0]}`).toBe('organizationId');
      }
    }
  });
});

describe('withOrg', () => {
  it('adds the organization to reads, writes and creates', () => {
    expect(withOrg('findMany', { where: { status: 'OPEN' } }, 'o1')).toEqual({ where: { status: 'OPEN', organizationId: 'o1' } });
    expect(withOrg('update', { where: { id: 'x' }, data: { a: 1 } }, 'o1')).toEqual({ where: { id: 'x', organizationId: 'o1' }, data: { a: 1 } });
    expect(withOrg('createMany', { data: [{ a: 1 }, { a: 2 }] }, 'o1')).toEqual({ data: [{ a: 1, organizationId: 'o1' }, { a: 2, organizationId: 'o1' }] });
    expect(withOrg('upsert', { where: { id: 'x' }, create: { a: 1 }, update: {} }, 'o1')).toMatchObject({ where: { id: 'x', organizationId: 'o1' }, create: { a: 1, organizationId: 'o1' } });
  });

  it('overrides an organizationId a caller passed, so a filter cannot widen the scope', () => {
    expect(withOrg('findFirst', { where: { organizationId: 'other' } }, 'o1')).toEqual({ where: { organizationId: 'o1' } });
    expect(withOrg('create', { data: { organizationId: 'other' } }, 'o1')).toEqual({ data: { organizationId: 'o1' } });
  });
});
