import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createMember } from '../../testing/factories';
import { orgWithFindings } from '../../testing/findings-fixture';
import { readSinkMessages, recipientsOf, startSmtpSink, type SmtpSink } from '../../testing/smtp-sink';
import { assignFindings } from '../findings/assign-findings';
import { requestRiskAcceptance } from '../findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../findings/decide-risk-acceptance';
import { createTicket } from '../tickets/create-ticket';
import { updateTicket } from '../tickets/update-ticket';
import { dispatchDomainEvents } from '../events/dispatch';
import { deliverMail } from './deliver-mail';
import { remindExpiringRiskAcceptances } from './event-mails';

let smtp: SmtpSink;
afterAll(async () => {
  await smtp?.close();
  await closeProducers();
  await disconnectDb();
});

/** Delivers every queued mail of the organization to the sink (as the worker would) and returns what arrived. */
async function deliverAll(organizationId: string) {
  smtp ??= await startSmtpSink({ dir: mkdtempSync(path.join(tmpdir(), 'bulwark-event-mail-')) });
  const queued = await systemDb().mailMessage.findMany({ where: { organizationId, status: 'QUEUED' }, orderBy: { createdAt: 'asc' } });
  for (const row of queued) await deliverMail({ organizationId, organizationSlug: '', actor: { kind: 'system', reason: 'test' } }, row.id, { isFinalAttempt: false, smtpUrl: smtp.url });
  return readSinkMessages(smtp.dir);
}

const subjectsTo = (mails: Awaited<ReturnType<typeof readSinkMessages>>, email: string) =>
  mails.filter((mail) => recipientsOf(mail).includes(email.toLowerCase())).map((mail) => mail.subject);

describe('mail for the workflow', () => {
  it('finding and ticket assignment, risk acceptance requested and decided, and the 7-day expiry reminder (once)', async () => {
    const fx = await orgWithFindings(['api', 'web']);
    const lead = await createMember(fx.org, 'ADMIN');
    const owner = await createMember(fx.org, 'OWNER');
    const dana = await createMember(fx.org, 'MEMBER');
    const org = await systemDb().organization.findUniqueOrThrow({ where: { id: fx.org.id }, select: { name: true } });

    await assignFindings(lead.ctx, { findingIds: [fx.byName('web').id], assigneeUserId: dana.user.id });
    const ticket = await createTicket(lead.ctx, { title: 'Rotate <the> keys', severity: 'SEV2', assigneeUserId: dana.user.id });
    await updateTicket(dana.ctx, { ticketId: ticket.id, assigneeUserId: lead.user.id });

    const expiresAt = new Date(Date.now() + 5 * 86_400_000);
    const acceptance = await requestRiskAcceptance(dana.ctx, { findingId: fx.byName('api').id, justification: 'The vendor image needs it until the next release', expiresAt });
    await dispatchDomainEvents();
    await decideRiskAcceptance(lead.ctx, { riskAcceptanceId: acceptance.id, decision: 'approve' });
    await dispatchDomainEvents();
    expect(await remindExpiringRiskAcceptances()).toBe(1);
    expect(await remindExpiringRiskAcceptances()).toBe(0); // once per acceptance

    const mails = await deliverAll(fx.org.id);
    expect(subjectsTo(mails, dana.user.email)).toEqual([
      `[${org.name}] Assigned to you: workload.privileged-container on Deployment shop/web`,
      `[${org.name}] Ticket #${ticket.number} is assigned to you: Rotate <the> keys`,
      `[${org.name}] Your risk acceptance was approved: workload.privileged-container on Deployment shop/api`,
      `[${org.name}] Risk acceptance expires in 5 days: workload.privileged-container on Deployment shop/api`,
    ]);
    // The lead: the ticket Dana handed over, and the request; nobody is mailed about what they did themselves
    // (the assigner, the requester about their own request, the lead about their own decision).
    expect(subjectsTo(mails, lead.user.email)).toEqual([
      `[${org.name}] Ticket #${ticket.number} is assigned to you: Rotate <the> keys`,
      `[${org.name}] Risk acceptance requested: workload.privileged-container on Deployment shop/api`,
    ]);
    expect(subjectsTo(mails, owner.user.email)).toEqual([`[${org.name}] Risk acceptance requested: workload.privileged-container on Deployment shop/api`]);

    const ticketMail = mails.find((mail) => mail.subject?.includes('Ticket #') && recipientsOf(mail).includes(dana.user.email.toLowerCase()))!;
    expect(ticketMail.html).toContain('Rotate &lt;the&gt; keys');
    expect(ticketMail.text).toContain(`/o/${fx.org.slug}/tickets/${ticket.number}`);
    // Non-transactional mail carries its category's unsubscribe link.
    expect(ticketMail.text).toMatch(/Unsubscribe from these e-mails: http:\/\/localhost:3000\/mail\/unsubscribe\?t=/);
  });
});
