import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createMember } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { orgWithFindings, type Fixture } from '../../testing/findings-fixture';
import { acknowledgeFindings } from '../findings/acknowledge-findings';
import { assignFindings } from '../findings/assign-findings';
import { setDueDate } from '../findings/set-due-date';
import { addComment } from '../findings/add-comment';
import { requestRiskAcceptance } from '../findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../findings/decide-risk-acceptance';
import { revokeRiskAcceptance } from '../findings/revoke-risk-acceptance';
import { markFalsePositive } from '../findings/mark-false-positive';
import { createTicket } from '../tickets/create-ticket';
import { addTicketUpdate, updateTicket } from '../tickets/update-ticket';
import { createWebhook } from '../webhooks/create-webhook';
import { deleteWebhook } from '../webhooks/manage-webhooks';
import { verifyChain } from './verify-audit';
import { listAuditLog } from './list-audit';
import { exportAuditCsv } from './export-audit';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

type Person = { user: { id: string; email: string }; ctx: OrgContext };
let fx: Fixture;
let member: Person;
let admin: Person;
let auditor: Person;
let startedAt: Date;

const EXPECTED = [
  'finding.acknowledged', 'finding.assigned', 'finding.due_date_set', 'finding.commented',
  'risk_acceptance.requested', 'risk_acceptance.approved', 'risk_acceptance.revoked',
  'finding.false_positive', 'exception.created',
  'ticket.created', 'ticket.updated', 'ticket.note_added',
  'webhook.created', 'webhook.deleted',
];

beforeAll(async () => {
  fx = await orgWithFindings(['api', 'web']);
  member = await createMember(fx.org, 'MEMBER');
  admin = await createMember(fx.org, 'ADMIN', `=HYPERLINK("http://evil.example")@example.test`);
  auditor = await createMember(fx.org, 'AUDITOR');
  startedAt = new Date();
  const web = fx.byName('web').id;
  const api = fx.byName('api').id;
  await acknowledgeFindings(member.ctx, { findingIds: [web] });
  await assignFindings(member.ctx, { findingIds: [web], assigneeUserId: member.user.id });
  await setDueDate(member.ctx, { findingIds: [web], dueAt: '2026-12-31T00:00:00Z' });
  await addComment(member.ctx, { findingIds: [web], body: 'Looking, "carefully", at it,\nline two' });
  const request = await requestRiskAcceptance(member.ctx, { findingId: web, justification: 'Needed by the storage plugin for now.', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
  await decideRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, decision: 'approve' });
  await revokeRiskAcceptance(admin.ctx, { riskAcceptanceId: request.id, reason: 'plugin replaced' });
  await markFalsePositive(admin.ctx, { findingId: api, reason: 'api is a test fixture only', exception: { scope: 'RESOURCE', expiresAt: new Date(Date.now() + 86_400_000) } });
  const ticket = await createTicket(member.ctx, { title: 'Privileged web', severity: 'SEV2', findingIds: [web] });
  await updateTicket(member.ctx, { ticketId: ticket.id, status: 'INVESTIGATING' });
  await addTicketUpdate(member.ctx, { ticketId: ticket.id, body: 'checking the chart' });
  const { webhook } = await createWebhook(admin.ctx, { url: 'https://hooks.example.com/h', events: ['finding.opened'] });
  await deleteWebhook(admin.ctx, webhook.id);
});

describe('the audit log of the workflow', () => {
  it('records every action above, in order, and the chain verifies', async () => {
    const { items } = await listAuditLog(auditor.ctx, { from: startedAt, limit: 500 });
    expect(items.map((entry) => entry.action).reverse()).toEqual(EXPECTED);
    expect(items.every((entry, i) => i === 0 || entry.seq < items[i - 1]!.seq)).toBe(true);
    expect(await verifyChain(fx.org.id, fx.org.slug)).toMatchObject({ ok: true });
  });

  it('filters by action prefix, actor (id or label), target and date range', async () => {
    const risk = await listAuditLog(auditor.ctx, { action: 'risk_acceptance.' });
    expect(risk.items.map((entry) => entry.action)).toEqual(['risk_acceptance.revoked', 'risk_acceptance.approved', 'risk_acceptance.requested']);
    const byAdmin = await listAuditLog(auditor.ctx, { actor: admin.user.id, from: startedAt });
    expect(byAdmin.items.every((entry) => entry.actorId === admin.user.id)).toBe(true);
    expect(byAdmin.items).toHaveLength(6);
    expect((await listAuditLog(auditor.ctx, { actor: member.user.email, from: startedAt })).items).toHaveLength(8);
    const web = await listAuditLog(auditor.ctx, { targetType: 'Finding', targetId: fx.byName('web').id });
    expect(web.items.map((entry) => entry.action).reverse()).toEqual(['finding.acknowledged', 'finding.assigned', 'finding.due_date_set', 'finding.commented']);
    expect((await listAuditLog(auditor.ctx, { to: startedAt })).items.every((entry) => entry.createdAt < startedAt)).toBe(true);
  });

  it('pages by sequence number without overlap', async () => {
    const all = await listAuditLog(auditor.ctx, { limit: 500 });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditLog(auditor.ctx, { limit: 4, cursor });
      seen.push(...page.items.map((entry) => entry.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((entry) => entry.seq));
  });

  it('is for owners, admins and auditors only, and never shows another organization', async () => {
    await expect(listAuditLog(member.ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(exportAuditCsv(member.ctx)).rejects.toMatchObject({ code: 'forbidden' });
    const theirs = await orgWithFindings(['x']);
    const outsider = await createMember(theirs.org, 'AUDITOR');
    expect((await listAuditLog(outsider.ctx, { targetId: fx.byName('web').id })).items).toEqual([]);
    expect((await listAuditLog(outsider.ctx, { limit: 500 })).items.every((entry) => entry.organizationId === theirs.org.id)).toBe(true);
  });
});

describe('the CSV export', () => {
  it('streams the filtered log oldest first, escaped, with formulas neutralised, and records that it was exported', async () => {
    const csv = await new Response(await exportAuditCsv(auditor.ctx, { from: startedAt })).text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,createdAt,actorType,actorId,actorLabel,action,targetType,targetId,before,after,ip,userAgent,prevHash,hash');
    expect(csv.endsWith('\r\n')).toBe(true);
    // The admin's label starts with "=": quoted, doubled quotes, and prefixed so a spreadsheet shows it as text.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")@example.test"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const actions = EXPECTED.map((action) => csv.indexOf(`,${action},`));
    expect(actions.every((index, i) => index > 0 && (i === 0 || index > actions[i - 1]!))).toBe(true);
    expect((await listAuditLog(auditor.ctx, { action: 'audit.exported' })).items).toHaveLength(1);
  });
});
