/**
 * `npx tsx scripts/demo-policies.ts` (run by scripts/demo.sh after the seed, before scripts/demo-history.ts, so the
 * thirty days of history are evaluated with them): Acme's own policy (issue 23): the framework "Acme platform
 * policy" and three enabled custom controls mapped to it, written by Acme's owner through the policies service (so
 * each has its versions and audit entries). Idempotent: does nothing once Acme has its framework.
 */
import 'dotenv/config';
import { CUSTOM_CONTROL_EXAMPLES } from '../lib/analysis/cel';
import { resolveMembership } from '../lib/platform/auth/membership';
import { disconnectDb } from '../lib/platform/db/client';
import { dbFor } from '../lib/platform/db/tenant';
import { closeProducers } from '../lib/platform/queue/producers';
import { createCustomControl, setCustomControlEnabled } from '../lib/services/policies/custom-controls';
import { createOrgFramework } from '../lib/services/policies/org-frameworks';
import { findDevUser } from '../lib/testing/factories';

const OWNER = 'admin@acme.test';
const example = (key: string) => {
  const found = CUSTOM_CONTROL_EXAMPLES.find((e) => e.key === key);
  if (!found) throw new Error(`no example ${key}`);
  return found;
};

export async function loadDemoPolicies(log: (line: string) => void = console.log): Promise<'loaded' | 'already-loaded'> {
  const user = await findDevUser(OWNER);
  const ctx = user ? await resolveMembership(user.id, 'acme') : null;
  if (!user || !ctx) throw new Error(`${OWNER} is not a member of Acme; run the demo seed first`);
  if (await dbFor(ctx).orgFramework.count({ where: { key: 'acme-platform' } })) return 'already-loaded';
  await createOrgFramework(ctx, {
    key: 'acme-platform',
    name: 'Acme platform policy',
    description: 'What Acme\'s platform team asks of every workload and exposure, beyond the benchmarks.',
    requirements: [
      { code: 'AP-1', title: 'Every public exposure has a security review' },
      { code: 'AP-2', title: 'Traffic from outside enters through the ingress controllers only' },
      { code: 'AP-3', title: 'Every shop workload has a known owner' },
      { code: 'AP-4', title: 'Production changes go through the release pipeline' },
    ],
  });
  const owner = example('prod-owner-label');
  const controls = [
    { ...example('ingress-security-review'), requirementIds: ['acme-platform:AP-1', 'iso27001-2022:A.8.20'] },
    { ...example('loadbalancer-outside-ingress'), requirementIds: ['acme-platform:AP-2'] },
    {
      ...owner, key: 'shop-owner-label', title: 'Every Deployment in shop has an owner label',
      rule: { ...owner.rule, match: { ...owner.rule.match, namespaces: ['shop'] } },
      requirementIds: ['acme-platform:AP-3'],
    },
  ];
  for (const c of controls) {
    const created = await createCustomControl(ctx, { key: c.key, title: c.title, severity: c.severity, rationale: c.rationale, remediation: c.remediation, rule: c.rule, requirementIds: c.requirementIds });
    await setCustomControlEnabled(ctx, { customControlId: created.id, enabled: true });
    log(`[demo-policies] ${created.controlId} enabled`);
  }
  return 'loaded';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  loadDemoPolicies()
    .then((status) => console.log(`[demo-policies] ${status}`))
    .catch((error: unknown) => { console.error(error); process.exitCode = 1; })
    .finally(async () => { await closeProducers(); await disconnectDb(); });
}
