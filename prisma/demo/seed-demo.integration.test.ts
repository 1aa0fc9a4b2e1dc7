import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../lib/platform/db/client';
import { systemDb } from '../../lib/platform/db/tenant';
import { seedDemoOrganizations } from './seed-demo';

afterAll(() => disconnectDb());

describe('the demo organizations', () => {
  it('say who created each organization and that everyone else joined through an invitation (issue 18), also when seeded again', async () => {
    await seedDemoOrganizations();
    await seedDemoOrganizations();
    const rows = await systemDb().membership.findMany({
      where: { organization: { slug: { in: ['acme', 'globex'] } } },
      select: { source: true, organization: { select: { slug: true } }, user: { select: { email: true } } },
    });
    const joined = Object.fromEntries(rows.map((r) => [`${r.organization.slug}:${r.user.email}`, r.source]));
    expect(joined).toMatchObject({ 'acme:owner@acme.test': 'BOOTSTRAP', 'acme:admin@acme.test': 'INVITATION', 'acme:viewer@acme.test': 'INVITATION', 'globex:admin@globex.test': 'BOOTSTRAP' });
    expect(rows.filter((r) => r.source === 'BOOTSTRAP').map((r) => r.organization.slug).sort()).toEqual(['acme', 'globex']);
  });
});
