import { afterAll, describe, expect, it } from 'vitest';
import { disconnectDb } from '../../platform/db/client';
import { closeProducers } from '../../platform/queue/producers';
import { createMember } from '../../testing/factories';
import type { OrgContext } from '../../platform/auth/context';
import { assignFindings } from '../findings/assign-findings';
import { orgWithFindings } from '../../testing/findings-fixture';
import { requestRiskAcceptance } from '../findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../findings/decide-risk-acceptance';
import { dispatchDomainEvents } from '../events/dispatch';
import { countUnreadNotifications, listNotifications } from './list-notifications';
import { markNotificationsRead } from './mark-notifications-read';

afterAll(async () => { await closeProducers(); await disconnectDb(); });

describe('notifications', () => {
  it('shows each user their own notifications in this organization only, and marks them read', async () => {
    const fx = await orgWithFindings(['api', 'web']);
    const lead = await createMember(fx.org, 'ADMIN');
    const dana = await createMember(fx.org, 'MEMBER');
    const sam = await createMember(fx.org, 'MEMBER');
    for (const finding of fx.findings) await assignFindings(lead.ctx, { findingIds: [finding.id], assigneeUserId: dana.user.id });
    await assignFindings(lead.ctx, { findingIds: [fx.byName('api').id], assigneeUserId: sam.user.id });

    const danas = await listNotifications(dana.ctx);
    expect(danas.unreadCount).toBe(2);
    expect(danas.items.map((n) => n.title)).toEqual([
      'Assigned to you: workload.privileged-container on Deployment shop/web',
      'Assigned to you: workload.privileged-container on Deployment shop/api',
    ]);
    expect((await listNotifications(lead.ctx)).items).toEqual([]); // the one who assigned is not told

    // Dana in another organization sees nothing from this one.
    const elsewhere = await orgWithFindings(['x']);
    const danaElsewhere: OrgContext = { ...dana.ctx, organizationId: elsewhere.org.id, organizationSlug: elsewhere.org.slug };
    expect(await listNotifications(danaElsewhere)).toEqual({ items: [], unreadCount: 0, nextCursor: null });

    // Nobody marks someone else's notification read.
    const samsId = (await listNotifications(sam.ctx)).items[0]!.id;
    expect(await markNotificationsRead(dana.ctx, { notificationIds: [samsId] })).toEqual({ updated: 0 });
    expect((await listNotifications(sam.ctx)).unreadCount).toBe(1);

    expect(await markNotificationsRead(dana.ctx, { notificationIds: [danas.items[0]!.id] })).toEqual({ updated: 1 });
    expect((await listNotifications(dana.ctx, { unreadOnly: true })).items.map((n) => n.id)).toEqual([danas.items[1]!.id]);
    expect(await markNotificationsRead(dana.ctx)).toEqual({ updated: 1 });
    expect((await listNotifications(dana.ctx)).unreadCount).toBe(0);
  });

  it("marks a risk acceptance request read for every approver once it is decided, and counts what stays unread", async () => {
    const fx = await orgWithFindings(['api', 'web']);
    const dana = await createMember(fx.org, 'MEMBER');
    const olivia = await createMember(fx.org, 'ADMIN');
    const oscar = await createMember(fx.org, 'OWNER');
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const justification = 'The vendor image needs it until the next release ships';
    const web = await requestRiskAcceptance(dana.ctx, { findingId: fx.byName('web').id, justification, expiresAt });
    await requestRiskAcceptance(dana.ctx, { findingId: fx.byName('api').id, justification, expiresAt });
    await dispatchDomainEvents();
    expect(await countUnreadNotifications(olivia.ctx)).toBe(2);
    expect(await countUnreadNotifications(oscar.ctx)).toBe(2);

    await decideRiskAcceptance(olivia.ctx, { riskAcceptanceId: web.id, decision: 'approve' });
    await dispatchDomainEvents();
    // Both approvers: the web request is done, the api one still waits.
    for (const approver of [olivia, oscar]) {
      const { items, unreadCount } = await listNotifications(approver.ctx, { unreadOnly: true });
      expect(unreadCount).toBe(1);
      expect(items.map((n) => n.title)).toEqual(['Risk acceptance requested: workload.privileged-container on Deployment shop/api']);
      expect(await countUnreadNotifications(approver.ctx)).toBe(1);
    }
    // Dana is told the outcome, unread until she reads it.
    expect((await listNotifications(dana.ctx)).items.map((n) => [n.title, n.readAt])).toEqual([
      ['Your risk acceptance was approved: workload.privileged-container on Deployment shop/web', null],
    ]);
    expect(await countUnreadNotifications(dana.ctx)).toBe(1);
  });

  it('pages newest first with a cursor', async () => {
    const fx = await orgWithFindings(['a', 'b', 'c']);
    const lead = await createMember(fx.org, 'ADMIN');
    const dana = await createMember(fx.org, 'MEMBER');
    for (const finding of fx.findings) await assignFindings(lead.ctx, { findingIds: [finding.id], assigneeUserId: dana.user.id });
    const first = await listNotifications(dana.ctx, { limit: 2 });
    const second = await listNotifications(dana.ctx, { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(first.items.map((n) => n.title.slice(-1))).toEqual(['c', 'b']);
    expect(second).toMatchObject({ items: [expect.objectContaining({ title: expect.stringMatching(/a$/) })], nextCursor: null });
  });

  it('has no notifications for an API token', async () => {
    const fx = await orgWithFindings(['a']);
    const ctx: OrgContext = { organizationId: fx.org.id, organizationSlug: fx.org.slug, actor: { kind: 'apiToken', tokenId: 't', role: 'ADMIN' } };
    await expect(listNotifications(ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
