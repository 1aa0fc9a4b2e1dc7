/**
 * `npx tsx scripts/demo-workflow.ts`: the review workflow of the demo, done by the demo people through the same
 * services the pages call (so it cannot drift from the product): acknowledgements, team assignments, a risk
 * acceptance approved by a second admin and one still pending, two incident tickets at different stages, and
 * an ISO 27001 report in the archive. Idempotent: it does nothing once Acme has a risk acceptance.
 * Runs after scripts/demo-history.ts and before the worker starts.
 */
import 'dotenv/config';
import path from 'node:path';
import { dbFor } from '../lib/platform/db/tenant';
import { findDevUser } from '../lib/testing/factories';
import { disconnectDb } from '../lib/platform/db/client';
import { closeProducers } from '../lib/platform/queue/producers';
import { resolveMembership } from '../lib/platform/auth/membership';
import type { OrgContext } from '../lib/platform/auth/context';
import { logger } from '../lib/platform/log';
import { acknowledgeFindings } from '../lib/services/findings/acknowledge-findings';
import { assignFindings } from '../lib/services/findings/assign-findings';
import { addComment } from '../lib/services/findings/add-comment';
import { requestRiskAcceptance } from '../lib/services/findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../lib/services/findings/decide-risk-acceptance';
import { createTicket } from '../lib/services/tickets/create-ticket';
import { updateTicket } from '../lib/services/tickets/update-ticket';
import { requestReport } from '../lib/services/reports/request-report';
import { generateReport } from '../lib/services/reports/generate-report';

const DAY = 86_400_000;

async function as(email: string): Promise<OrgContext> {
  const user = await findDevUser(email);
  const ctx = user ? await resolveMembership(user.id, 'acme') : null;
  if (!ctx) throw new Error(`${email} is not a member of Acme; run the demo seed first`);
  return ctx;
}

async function findingIds(ctx: OrgContext, cluster: string, where: { controlId: string; resourceName?: string }, take = 1): Promise<string[]> {
  const rows = await dbFor(ctx).finding.findMany({
    where: { ...where, cluster: { name: cluster }, status: { in: ['OPEN', 'ACKNOWLEDGED'] } },
    orderBy: [{ severity: 'asc' }, { resourceName: 'asc' }], take, select: { id: true },
  });
  return rows.map((row) => row.id);
}

export async function loadDemoWorkflow(log: (line: string) => void = () => {}): Promise<string> {
  const engineer = await as('engineer@acme.test');
  const admin = await as('admin@acme.test');
  const owner = await as('owner@acme.test');
  const auditor = await as('auditor@acme.test');
  if (await dbFor(admin).riskAcceptance.count() > 0) return 'demo workflow already loaded';
  const teams = new Map((await dbFor(admin).team.findMany()).map((team) => [team.name, team.id]));

  // Triage: the platform team takes the RBAC findings of prod, payments takes staging's image and filesystem work.
  const prodRbac = [
    ...(await findingIds(engineer, 'prod', { controlId: 'rbac.secrets-read' }, 3)),
    ...(await findingIds(engineer, 'prod', { controlId: 'rbac.pods-exec' }, 1)),
  ];
  if (prodRbac.length) {
    await acknowledgeFindings(engineer, { findingIds: prodRbac, note: 'Platform team is reviewing the monitoring and ingress roles this sprint.' });
    await assignFindings(engineer, { findingIds: prodRbac, assigneeTeamId: teams.get('Platform') ?? null });
  }
  const stagingCredentials = [
    ...(await findingIds(engineer, 'staging', { controlId: 'workload.image-not-pinned' }, 3)),
    ...(await findingIds(engineer, 'staging', { controlId: 'workload.read-only-root-filesystem' }, 2)),
  ];
  if (stagingCredentials.length) {
    await assignFindings(engineer, { findingIds: stagingCredentials, assigneeTeamId: teams.get('Payments') ?? null });
    await addComment(engineer, { findingIds: stagingCredentials, body: 'Pinning the checkout images by digest and making their root filesystems read-only in the next release (PAY-218).' });
  }

  // Four eyes: the engineer asks, a different admin approves; another request waits for a decision.
  const [operator] = await findingIds(engineer, 'prod', { controlId: 'rbac.cluster-admin-binding', resourceName: 'shipyard-operator' });
  if (operator) {
    const acceptance = await requestRiskAcceptance(engineer, {
      findingId: operator,
      justification: 'The shipyard operator manages CRDs and webhooks across every namespace; the vendor supports only cluster-admin until v3 ships scoped RBAC (VEND-1432). Audit logging on its ServiceAccount is enabled.',
      expiresAt: new Date(Date.now() + 90 * DAY),
    });
    await decideRiskAcceptance(admin, { riskAcceptanceId: acceptance.id, decision: 'approve', note: 'Approved for one quarter; revisit when v3 is out.' });
  }
  const [preview] = await findingIds(engineer, 'staging', { controlId: 'network.ingress-without-tls' });
  if (preview) {
    await requestRiskAcceptance(engineer, {
      findingId: preview,
      justification: 'The preview Ingress serves synthetic data only, behind the office VPN; TLS comes with the new preview domain next month.',
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
  }

  // Two incidents: one under investigation, one closed with its root cause.
  const dangling = await findingIds(engineer, 'staging', { controlId: 'rbac.dangling-subject' });
  const devPassword = await findingIds(engineer, 'dev', { controlId: 'workload.credential-in-env' });
  const investigating = await createTicket(engineer, {
    title: 'Dangling CI RoleBinding and plain database password',
    description: 'A RoleBinding grants deploy rights to ServiceAccount ci/gitlab-deployer, which does not exist; anyone who can create it inherits the role.',
    severity: 'SEV2', findingIds: [...dangling, ...devPassword], dueAt: new Date(Date.now() + 7 * DAY),
  });
  await updateTicket(engineer, { ticketId: investigating.id, status: 'INVESTIGATING' });
  const [hostNetwork] = await findingIds(engineer, 'dev', { controlId: 'workload.host-network' });
  const closed = await createTicket(owner, { title: 'hostNetwork re-introduced on the dev ingress controller', severity: 'SEV3', findingIds: hostNetwork ? [hostNetwork] : [] });
  for (const status of ['INVESTIGATING', 'MITIGATED', 'RESOLVED'] as const) await updateTicket(owner, { ticketId: closed.id, status });
  await updateTicket(owner, {
    ticketId: closed.id, status: 'CLOSED',
    rootCause: 'A Helm values override copied from an old runbook set hostNetwork: true.',
    resolution: 'Override removed; the chart now pins hostNetwork: false.',
    followUps: 'Add a policy-as-code check in CI for hostNetwork.',
  });

  // An ISO 27001 report in the archive, requested by the auditor.
  const report = await requestReport(auditor, { frameworkId: 'iso27001-2022', format: 'PDF', periodStart: new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10), periodEnd: new Date().toISOString().slice(0, 10) });
  await generateReport(auditor, report.id);
  const summary = `${prodRbac.length + stagingCredentials.length} findings triaged, 2 risk acceptances (1 approved), tickets #${investigating.number} and #${closed.number}, 1 ISO 27001 report`;
  log(summary);
  return summary;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  logger.level = 'warn';
  loadDemoWorkflow((line) => console.log(`[demo-workflow] ${line}`))
    .then((result) => { if (result.includes('already')) console.log(`[demo-workflow] ${result}`); })
    .catch((error: unknown) => { console.error(`[demo-workflow] ERROR: ${error instanceof Error ? error.stack ?? error.message : String(error)}`); process.exitCode = 1; })
    .finally(async () => { await closeProducers(); await disconnectDb(); });
}
