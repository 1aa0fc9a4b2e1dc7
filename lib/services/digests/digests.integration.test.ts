import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { createRedis } from '../../platform/queue/connection';
import { listPendingFairJobIds } from '../../platform/queue/fair';
import { QUEUES } from '../../platform/queue/jobs';
import { closeProducers, dispatchFairQueue, queueFor } from '../../platform/queue/producers';
import { createMember, createOrg } from '../../testing/factories';
import { orgWithFindings } from '../../testing/findings-fixture';
import { readSinkMessages, recipientsOf, startSmtpSink, type SmtpSink } from '../../testing/smtp-sink';
import { assignFindings } from '../findings/assign-findings';
import { requestRiskAcceptance } from '../findings/request-risk-acceptance';
import { decideRiskAcceptance } from '../findings/decide-risk-acceptance';
import { deliverMail } from '../mail/deliver-mail';
import { unsubscribe } from '../mail/unsubscribe';
import { readUnsubscribeToken } from '../mail/unsubscribe-token';
import { offerDigestJobs, sendOrgDigests } from './send-digests';
import { getMyDigestSetting, setMyDigest } from './settings';
import { digestPeriod } from './schemas';

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink({ dir: mkdtempSync(path.join(tmpdir(), 'bulwark-digests-')) });
});
afterAll(async () => {
  await smtp?.close();
  await closeProducers();
  await disconnectDb();
});

/** Delivers the organization's queued mail to the real SMTP sink (as the mail worker would). */
async function deliverAll(organizationId: string): Promise<void> {
  const queued = await systemDb().mailMessage.findMany({ where: { organizationId, status: 'QUEUED' }, orderBy: { createdAt: 'asc' } });
  for (const row of queued) await deliverMail({ organizationId, organizationSlug: '', actor: { kind: 'system', reason: 'test' } }, row.id, { isFinalAttempt: false, smtpUrl: smtp.url });
}
async function digestsTo(email: string): Promise<ParsedMail[]> {
  return (await readSinkMessages(smtp.dir)).filter((mail) => recipientsOf(mail).includes(email.toLowerCase()) && /digest/.test(mail.subject ?? ''));
}

describe('e-mail digests', () => {
  it('mails each member what waits for them in their organization only, once per period, nothing when empty, none after unsubscribing', async () => {
    const a = await orgWithFindings(['web', 'api']);
    const b = await orgWithFindings(['billing-secret-app']);
    const lead = await createMember(a.org, 'ADMIN');
    const dana = await createMember(a.org, 'MEMBER');
    const quiet = await createMember(a.org, 'VIEWER');
    const other = await createMember(b.org, 'MEMBER');
    const otherLead = await createMember(b.org, 'ADMIN');
    const orgA = await systemDb().organization.findUniqueOrThrow({ where: { id: a.org.id }, select: { name: true, slug: true } });

    // Dana: a finding assigned to her; her request to accept another one's risk waits for the lead.
    await assignFindings(lead.ctx, { findingIds: [a.byName('web').id], assigneeUserId: dana.user.id });
    await requestRiskAcceptance(dana.ctx, { findingId: a.byName('api').id, justification: 'The vendor image needs it until the next release', expiresAt: new Date(Date.now() + 30 * 86_400_000) });
    // In organization B, a finding assigned to its own member (never in A's digests).
    await assignFindings(otherLead.ctx, { findingIds: [b.byName('billing-secret-app').id], assigneeUserId: other.user.id });

    // Settings through the service the profile page calls: default none; bad input names the field, writes nothing.
    expect(await getMyDigestSetting(dana.ctx)).toEqual({ frequency: 'none', timeZone: null, unsubscribed: false });
    await expect(setMyDigest(dana.ctx, { frequency: 'hourly', timeZone: 'UTC' })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'frequency' })] });
    await expect(setMyDigest(dana.ctx, { frequency: 'weekly', timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'invalid', issues: [expect.objectContaining({ path: 'timeZone' })] });
    expect(await systemDb().digestSetting.count({ where: { userId: dana.user.id } })).toBe(0);
    await setMyDigest(dana.ctx, { frequency: 'weekly', timeZone: 'UTC' });
    await setMyDigest(lead.ctx, { frequency: 'daily', timeZone: 'Europe/Berlin' });
    await setMyDigest(quiet.ctx, { frequency: 'daily', timeZone: 'UTC' });
    await setMyDigest(other.ctx, { frequency: 'daily', timeZone: 'UTC' });
    expect(await getMyDigestSetting(dana.ctx)).toEqual({ frequency: 'weekly', timeZone: 'UTC', unsubscribed: false });

    // The tick offers one job per organization with a digest on the fair queue (none for an organization without).
    const empty = await createOrg();
    const now = new Date();
    expect(await offerDigestJobs(now)).toBeGreaterThanOrEqual(2);
    // Each job is in its organization's pending list or already moved into BullMQ by the refill (not yet run: no worker here).
    await dispatchFairQueue(QUEUES.digests);
    const redis = createRedis('worker');
    const waiting = await queueFor(QUEUES.digests).getJobs(['waiting', 'prioritized', 'delayed']);
    const jobsFor = async (organizationId: string) =>
      (await listPendingFairJobIds(redis, QUEUES.digests, organizationId)).length + waiting.filter((job) => job.data.organizationId === organizationId).length;
    expect(await jobsFor(a.org.id)).toBe(1);
    expect(await jobsFor(b.org.id)).toBe(1);
    expect(await jobsFor(empty.id)).toBe(0);
    redis.disconnect();

    // Organization A's run: Dana and the lead get one; the viewer has nothing to be told.
    expect(await sendOrgDigests(a.org.id, now)).toEqual({ sent: 2, empty: 1, alreadySent: 0, unsubscribed: 0, failed: 0 });
    expect(await sendOrgDigests(b.org.id, now)).toMatchObject({ sent: 1 });
    await deliverAll(a.org.id);
    await deliverAll(b.org.id);

    const [danaMail, ...moreDana] = await digestsTo(dana.user.email);
    expect(moreDana).toEqual([]);
    expect(danaMail!.subject).toBe(`[${a.org.name}] Your weekly digest: 1 open finding`);
    expect(danaMail!.text).toContain('Open findings assigned to you: 1');
    expect(danaMail!.text).toContain(`on Deployment shop/web (prod): http://localhost:3000/o/${orgA.slug}/findings/${a.byName('web').id}`);
    expect(danaMail!.html).toContain(`href="http://localhost:3000/o/${orgA.slug}/findings/${a.byName('web').id}"`);
    expect(danaMail!.text).not.toContain('shop/api'); // not assigned to her; her own request is not hers to approve
    expect(danaMail!.text).not.toContain('billing-secret-app');
    const unsubscribeLink = danaMail!.text!.match(/Unsubscribe from these e-mails: (\S+)/)?.[1];
    expect(unsubscribeLink).toBeTruthy();

    const [leadMail] = await digestsTo(lead.user.email);
    expect(leadMail!.subject).toBe(`[${a.org.name}] Your daily digest: 1 approval`);
    expect(leadMail!.text).toContain('Requests waiting for your approval: 1');
    expect(leadMail!.text).toContain(`Risk acceptance: CRITICAL workload.privileged-container on Deployment shop/api (prod): http://localhost:3000/o/${orgA.slug}/approvals`);
    expect(leadMail!.text).not.toContain('billing-secret-app');
    expect(await digestsTo(quiet.user.email)).toEqual([]);
    // Its period is settled with 0 items: later ticks do not read it again.
    expect(await systemDb().digestRun.findMany({ where: { userId: quiet.user.id }, select: { items: true } })).toEqual([{ items: 0 }]);
    const [otherMail] = await digestsTo(other.user.email);
    expect(otherMail!.text).toContain('billing-secret-app');
    expect(otherMail!.text).not.toMatch(/shop\/(web|api)/);

    // A retried job, or two at once, in the same period: nothing more (one DigestRun per member and period).
    const again = await Promise.all([sendOrgDigests(a.org.id, now), sendOrgDigests(a.org.id, now)]);
    expect(again.map((r) => r.sent)).toEqual([0, 0]);
    // The next day: the daily lead again (concurrent runs send one), weekly Dana not before next Monday 08:00 UTC.
    const tomorrow = new Date(now.getTime() + 86_400_000);
    const mondayPassed = digestPeriod('weekly', 'UTC', now).key !== digestPeriod('weekly', 'UTC', tomorrow).key;
    const next = await Promise.all([sendOrgDigests(a.org.id, tomorrow), sendOrgDigests(a.org.id, tomorrow)]);
    expect(next[0]!.sent + next[1]!.sent).toBe(mondayPassed ? 2 : 1);
    expect(await systemDb().digestRun.count({ where: { organizationId: a.org.id, userId: lead.user.id } })).toBe(2);

    // Dana unsubscribes with her mail's link: a week later (a new weekly period) she gets none; the lead still does.
    const token = new URL(unsubscribeLink!).searchParams.get('t')!;
    expect(readUnsubscribeToken(token)).toMatchObject({ category: 'digest' });
    expect(await unsubscribe(token)).toMatchObject({ ok: true, category: 'digest' });
    expect(await getMyDigestSetting(dana.ctx)).toMatchObject({ frequency: 'weekly', unsubscribed: true });
    const week = new Date(now.getTime() + 8 * 86_400_000);
    expect(await sendOrgDigests(a.org.id, week)).toMatchObject({ sent: 1, unsubscribed: 1 });
    await deliverAll(a.org.id);
    expect(await digestsTo(dana.user.email)).toHaveLength(mondayPassed ? 2 : 1);
    expect(await digestsTo(lead.user.email)).toHaveLength(3);
    // Choosing a digest again on the settings page lifts the unsubscribe.
    await setMyDigest(dana.ctx, { frequency: 'weekly', timeZone: 'UTC' });
    expect(await getMyDigestSetting(dana.ctx)).toMatchObject({ unsubscribed: false });
  });

  it('lists an approved risk acceptance expiring within 7 days to its requester', async () => {
    const fx = await orgWithFindings(['api']);
    const lead = await createMember(fx.org, 'ADMIN');
    const dana = await createMember(fx.org, 'MEMBER');
    const acceptance = await requestRiskAcceptance(dana.ctx, { findingId: fx.byName('api').id, justification: 'Until the vendor ships the fixed image', expiresAt: new Date(Date.now() + 5 * 86_400_000) });
    await decideRiskAcceptance(lead.ctx, { riskAcceptanceId: acceptance.id, decision: 'approve' });
    await setMyDigest(dana.ctx, { frequency: 'daily', timeZone: 'UTC' });
    expect(await sendOrgDigests(fx.org.id, new Date())).toMatchObject({ sent: 1 });
    await deliverAll(fx.org.id);
    const [mail] = await digestsTo(dana.user.email);
    expect(mail!.subject).toMatch(/Your daily digest: 1 expiring acceptance$/);
    expect(mail!.text).toContain('Risk acceptances expiring within 7 days: 1');
    expect(mail!.text).toContain(`/findings/${fx.byName('api').id}`);
  });
});
