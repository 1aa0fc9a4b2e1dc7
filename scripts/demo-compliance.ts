/**
 * `npx tsx scripts/demo-compliance.ts`: Acme's ISO 27001 Statement of Applicability and evidence, made by the demo
 * people through the same services the pages call (issue 19): physical-security requirements excluded or left to
 * the cloud provider (each with its justification), owners for a few organizational requirements, version 1
 * approved by the owner; evidence for manual requirements (a training record PDF accepted by a second person, an
 * incident-response attestation accepted, a disaster-recovery test report whose validity ended, a RACI awaiting
 * review) and an open evidence request from the auditor. Idempotent: it does nothing once Acme's ISO 27001 SoA has
 * an approved version. Runs after scripts/demo-history.ts and before scripts/demo-workflow.ts, so the archived ISO
 * 27001 report carries it. A.5.1 is left undecided: the e2e journey decides it in an organization of its own.
 */
import 'dotenv/config';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { dbFor } from '../lib/platform/db/tenant';
import { findDevUser } from '../lib/testing/factories';
import { disconnectDb } from '../lib/platform/db/client';
import { closeProducers } from '../lib/platform/queue/producers';
import { resolveMembership } from '../lib/platform/auth/membership';
import type { OrgContext } from '../lib/platform/auth/context';
import { logger } from '../lib/platform/log';
import { approveSoaVersion, setSoaDecision } from '../lib/services/soa/edit-soa';
import { addEvidence, reviewEvidence } from '../lib/services/evidence/evidence';
import { requestEvidence } from '../lib/services/evidence/requests';

const ISO = 'iso27001-2022';
const DAY = 86_400_000;

async function as(email: string): Promise<OrgContext & { userId: string }> {
  const user = await findDevUser(email);
  const ctx = user ? await resolveMembership(user.id, 'acme') : null;
  if (!user || !ctx) throw new Error(`${email} is not a member of Acme; run the demo seed first`);
  return Object.assign(ctx, { userId: user.id });
}

/** A one-page PDF (pdfkit's built-in Helvetica): what a training platform's completion export looks like. */
async function trainingRecordPdf(now: Date): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', info: { Title: 'Security awareness training: completion record', Author: 'Acme People Ops' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  doc.fontSize(18).text('Security awareness training 2026: completion record');
  doc.moveDown().fontSize(11).text(`Exported ${now.toISOString().slice(0, 10)} from the training platform.`);
  doc.moveDown().text('Course: Phishing, passwords and reporting incidents (45 minutes, annual).');
  doc.text('Employees in scope: 42. Completed: 42 (100%). Average quiz score: 91%.');
  doc.moveDown().text('Signed off by People Ops and the security lead.');
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

export type DemoComplianceOptions = { now?: Date; log?: (line: string) => void };

export async function loadDemoCompliance(options: DemoComplianceOptions = {}): Promise<string> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const owner = await as('owner@acme.test');
  const admin = await as('admin@acme.test');
  const engineer = await as('engineer@acme.test');
  const auditor = await as('auditor@acme.test');
  if (await dbFor(owner).soaVersion.count({ where: { frameworkId: ISO } }) > 0) return 'demo compliance already loaded';

  // The Statement of Applicability: what Acme, running everything on EKS with no premises of its own, excludes.
  const noPremises = 'Acme operates no premises of its own: every workload runs in AWS eu-west-1 (EKS) and staff work remotely or from a serviced co-working space whose landlord controls the building.';
  const decisions = [
    { requirementId: 'A.7.1', applicability: 'excluded' as const, justification: `${noPremises} There is no Acme perimeter to secure.` },
    { requirementId: 'A.7.2', applicability: 'excluded' as const, justification: `${noPremises} Entry to the co-working space is the landlord's badge system; Acme keeps no equipment or information there.` },
    { requirementId: 'A.7.4', applicability: 'excluded' as const, justification: `${noPremises} No Acme site to monitor.` },
    { requirementId: 'A.7.8', applicability: 'provider_responsibility' as const, justification: 'Servers and storage are AWS-managed in eu-west-1; equipment siting and protection are covered by the AWS SOC 2 Type II report (reviewed yearly by the security lead).' },
    { requirementId: 'A.7.11', applicability: 'provider_responsibility' as const, justification: 'Power, cooling and network for the EKS clusters are AWS data-centre utilities (AWS SOC 2 Type II report).' },
    { requirementId: 'A.5.2', applicability: 'applicable' as const, ownerUserId: admin.userId, implementationStatus: 'in_progress' as const, justification: 'RACI for security roles being rewritten after the 2026 re-organisation.' },
    { requirementId: 'A.6.3', applicability: 'applicable' as const, ownerUserId: engineer.userId, implementationStatus: 'implemented' as const },
    { requirementId: 'A.5.24', applicability: 'applicable' as const, ownerUserId: engineer.userId, implementationStatus: 'implemented' as const },
    { requirementId: 'A.5.30', applicability: 'applicable' as const, ownerUserId: admin.userId, implementationStatus: 'in_progress' as const },
    { requirementId: 'A.5.29', applicability: 'applicable' as const, ownerUserId: admin.userId, implementationStatus: 'not_started' as const },
  ];
  for (const decision of decisions) await setSoaDecision(owner, { frameworkId: ISO, ...decision });
  const version = await approveSoaVersion(owner, { frameworkId: ISO, note: 'Statement of Applicability for the 2026 ISO 27001 surveillance audit.' });

  // Evidence for what no cluster shows; four eyes: nobody accepts their own.
  const iso = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const training = await addEvidence(engineer, {
    frameworkId: ISO, requirementId: 'A.6.3', kind: 'file', title: 'Security awareness training 2026: completion record', ownerUserId: engineer.userId,
    collectedAt: iso(-20), validUntil: iso(345),
  }, { name: 'security-awareness-2026.pdf', bytes: await trainingRecordPdf(new Date(now.getTime() - 20 * DAY)) });
  await reviewEvidence(admin, { evidenceId: training.id, decision: 'accepted', note: '42 of 42 employees; matches the HR headcount.' });
  const tabletop = await addEvidence(engineer, {
    frameworkId: ISO, requirementId: 'A.5.24', kind: 'attestation', title: 'Incident response plan v4 exercised', ownerUserId: engineer.userId,
    attestation: 'The incident response plan (v4) was exercised in a tabletop on a ransomware scenario with platform, payments and support on-call; the two gaps found (paging of the payments lead, status page access) were fixed the same week.',
    collectedAt: iso(-12), validUntil: iso(353),
  });
  await reviewEvidence(owner, { evidenceId: tabletop.id, decision: 'accepted' });
  const drTest = await addEvidence(admin, {
    frameworkId: ISO, requirementId: 'A.5.30', kind: 'link', title: 'Disaster recovery test report 2025', ownerUserId: admin.userId,
    url: 'https://wiki.acme.test/security/dr-test-2025', collectedAt: iso(-410), validUntil: iso(-45),
  });
  await reviewEvidence(owner, { evidenceId: drTest.id, decision: 'accepted', note: 'Restore of prod database within RTO; repeat yearly.' });
  await addEvidence(admin, {
    frameworkId: ISO, requirementId: 'A.5.2', kind: 'attestation', title: 'Security roles RACI (draft 2026)', ownerUserId: admin.userId,
    attestation: 'Security lead: owner@acme.test. Platform security: admin@acme.test. Incident commander rota: platform on-call. Reviewed by the leadership team.',
    collectedAt: iso(-2), validUntil: iso(363),
  });

  // The auditor asks for what is missing.
  await requestEvidence(auditor, {
    frameworkId: ISO, requirementId: 'A.5.29', assigneeUserId: admin.userId, dueDate: iso(14),
    message: 'Please provide the business continuity plan section on keeping security controls in place during a disruption, and the date it was last reviewed.',
  });

  const summary = `ISO 27001 SoA version ${version.version} (3 excluded, 2 provider responsibility, 5 owners), 4 pieces of evidence (1 expired, 1 awaiting review), 1 open evidence request`;
  log(summary);
  return summary;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  logger.level = 'warn';
  loadDemoCompliance({ log: (line) => console.log(`[demo-compliance] ${line}`) })
    .then((result) => { if (result.includes('already')) console.log(`[demo-compliance] ${result}`); })
    .catch((error: unknown) => { console.error(`[demo-compliance] ERROR: ${error instanceof Error ? error.stack ?? error.message : String(error)}`); process.exitCode = 1; })
    .finally(async () => { await closeProducers(); await disconnectDb(); });
}
