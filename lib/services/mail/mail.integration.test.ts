import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemDb } from '../../platform/db/tenant';
import { disconnectDb } from '../../platform/db/client';
import { QUEUES } from '../../platform/queue/jobs';
import { closeProducers, dispatchFairQueue, queueFor } from '../../platform/queue/producers';
import { createRedis } from '../../platform/queue/connection';
import { listPendingFairJobIds } from '../../platform/queue/fair';
import { createMember, createOrg } from '../../testing/factories';
import { readSinkMessages, recipientsOf, startSmtpSink, type SmtpSink } from '../../testing/smtp-sink';
import { acceptInvitation } from '../orgs/invitations';
import { syncUserAtSignIn } from '../identity/sign-in';
import { deliverMail } from './deliver-mail';
import { inviteMemberByMail } from './invitation-mail';
import { listMailLog } from './mail-log';
import { sendMail, sweepQueuedMail, writeMail } from './send-mail';
import { dbFor } from '../../platform/db/tenant';
import { unsubscribe } from './unsubscribe';

const sinks: SmtpSink[] = [];
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await closeProducers();
  await disconnectDb();
});

async function sink(options: { refuse?: boolean } = {}): Promise<SmtpSink> {
  const started = await startSmtpSink({ dir: mkdtempSync(path.join(tmpdir(), 'bulwark-mail-')), ...options });
  sinks.push(started);
  return started;
}

/** A loopback port nobody listens on: connecting to it is refused at once. */
async function refusedSmtpUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `smtp://127.0.0.1:${typeof address === 'object' && address ? address.port : 1}`;
}

async function rows(organizationId: string) {
  return systemDb().mailMessage.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } });
}

const notice = (subject: string) => ({ subject, template: { heading: subject, paragraphs: ['Something happened.'], action: { label: 'Open', url: 'http://localhost:3000/x' } } });

describe('invitation e-mail', () => {
  it('arrives at the SMTP server with the single-use link, which admits the invitee; the log keeps no body', async () => {
    const org = await createOrg('Mail <Acme> & Co');
    const owner = await createMember(org, 'OWNER');
    const smtp = await sink();
    const invitation = await inviteMemberByMail(owner.ctx, { email: 'Invitee@Example.test', role: 'AUDITOR' });
    expect(invitation.mailed).toBe(true);

    const [row] = await rows(org.id);
    expect(row).toMatchObject({ category: 'invitation', recipient: 'invitee@example.test', status: 'QUEUED', attempts: 0 });
    // The body waits sealed (it holds the link): the token is not in the row in clear.
    expect(JSON.stringify(row)).not.toContain(invitation.token);
    // Queued for the worker with retries and exponential backoff.
    await dispatchFairQueue(QUEUES.mail);
    const job = await queueFor(QUEUES.mail).getJob(row!.id);
    expect(job?.opts).toMatchObject({ attempts: 6, backoff: { type: 'exponential', delay: 15_000 } });

    expect(await deliverMail(owner.ctx, row!.id, { isFinalAttempt: false, smtpUrl: smtp.url })).toEqual({ outcome: 'sent' });
    const [mail, ...others] = await readSinkMessages(smtp.dir);
    expect(others).toHaveLength(0);
    expect(recipientsOf(mail!)).toEqual(['invitee@example.test']);
    expect(mail!.subject).toBe('You are invited to Mail <Acme> & Co on Bulwark');
    const link = `http://localhost:3000/invitations/${invitation.token}`;
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain(`href="${link}"`);
    // The organization's name is escaped in the HTML, and invitations have no unsubscribe link.
    expect(mail!.html).toContain('Mail &lt;Acme&gt; &amp; Co');
    expect(mail!.html).not.toContain('<Acme>');
    expect(mail!.text).not.toContain('nsubscribe');
    expect(mail!.headerLines.map((line) => line.key)).not.toContain('list-unsubscribe');
    expect(mail!.headerLines.map((line) => line.key)).toContain('x-bulwark-category');

    const [sent] = await rows(org.id);
    expect(sent).toMatchObject({ status: 'SENT', attempts: 1, sealedBody: null, lastError: null });
    expect(sent!.sentAt).toBeInstanceOf(Date);
    // Delivered once: a second run of the job finds nothing to do.
    expect(await deliverMail(owner.ctx, row!.id, { isFinalAttempt: false, smtpUrl: smtp.url })).toEqual({ outcome: 'nothing-to-do' });

    // The link in the mail admits the invitee.
    const token = decodeURIComponent(new URL(mail!.text!.match(/http:\/\/localhost:3000\/invitations\/\S+/)![0]).pathname.split('/').pop()!);
    const invitee = await syncUserAtSignIn({ issuer: 'http://platform-idp.test', connectionId: null, profile: { sub: `s-${row!.id}`, email: 'invitee@example.test', email_verified: true } });
    await expect(acceptInvitation(token, invitee)).resolves.toMatchObject({ organizationSlug: org.slug, role: 'AUDITOR' });
  });
});

describe('failures', () => {
  it('a refused connection is retried (attempts counted, error logged) until the last attempt marks it failed', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const member = await createMember(org, 'MEMBER');
    await sendMail(owner.ctx, { to: [{ userId: member.user.id }], category: 'assignment', ...notice('Assigned to you') });
    const [row] = await rows(org.id);
    const url = await refusedSmtpUrl();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect(await deliverMail(owner.ctx, row!.id, { isFinalAttempt: false, smtpUrl: url })).toMatchObject({ outcome: 'retry' });
      expect(await systemDb().mailMessage.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: 'QUEUED', attempts: attempt });
    }
    expect(await deliverMail(owner.ctx, row!.id, { isFinalAttempt: true, smtpUrl: url })).toMatchObject({ outcome: 'failed' });
    const [log] = await listMailLog(owner.ctx);
    expect(log).toMatchObject({ id: row!.id, status: 'FAILED', attempts: 6, recipient: member.user.email.toLowerCase(), subject: 'Assigned to you' });
    expect(log!.lastError).toContain('ECONNREFUSED');
    expect(log!.lastError).not.toContain('smtp://');
    expect((await systemDb().mailMessage.findUniqueOrThrow({ where: { id: row!.id } })).sealedBody).toBeNull();
  });

  it('a 5xx refusal of the recipient is a bounce at once: no retry', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const smtp = await sink({ refuse: true });
    await sendMail(owner.ctx, { to: [{ userId: owner.user.id }], category: 'ticket', ...notice('Ticket assigned') });
    const [row] = await rows(org.id);
    expect(await deliverMail(owner.ctx, row!.id, { isFinalAttempt: false, smtpUrl: smtp.url })).toMatchObject({ outcome: 'bounced' });
    expect((await listMailLog(owner.ctx))[0]).toMatchObject({ status: 'BOUNCED', attempts: 1 });
    expect((await listMailLog(owner.ctx))[0]!.lastError).toContain('550');
    expect(await readSinkMessages(smtp.dir)).toHaveLength(0);
  });
});

describe('the mail outbox', () => {
  it('queues again a message whose enqueue was lost, once it has waited two minutes', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    // Written, but never handed to the queue (as when Redis is away after the commit).
    const { queued: [id] } = await dbFor(owner.ctx).$transaction((tx) => writeMail(tx, owner.ctx, { to: [{ userId: owner.user.id }], category: 'ticket', ...notice('Lost enqueue') }));
    // Queued means: in the organization's pending list of the fair queue, or already in BullMQ's.
    const redis = createRedis('worker');
    const isQueued = async () => (await listPendingFairJobIds(redis, QUEUES.mail, org.id)).includes(id!) || Boolean(await queueFor(QUEUES.mail).getJob(id!));
    expect(await isQueued()).toBe(false);
    const now = new Date();
    await sweepQueuedMail(now);
    expect(await isQueued()).toBe(false); // too fresh: its own enqueue may still be on the way
    await sweepQueuedMail(new Date(now.getTime() + 121_000));
    expect(await isQueued()).toBe(true);
    redis.disconnect();
  });
});

describe('unsubscribe', () => {
  it('stops that category for that address in that organization only; other categories still arrive', async () => {
    const org = await createOrg();
    const owner = await createMember(org, 'OWNER');
    const member = await createMember(org, 'MEMBER');
    const smtp = await sink();
    await sendMail(owner.ctx, { to: [{ userId: member.user.id }], category: 'assignment', ...notice('First assignment') });
    const [first] = await rows(org.id);
    await deliverMail(owner.ctx, first!.id, { isFinalAttempt: false, smtpUrl: smtp.url });
    const [mail] = await readSinkMessages(smtp.dir);
    // The unsubscribe link is in both bodies and in the List-Unsubscribe header.
    const link = mail!.text!.match(/Unsubscribe from these e-mails: (\S+)/)![1]!;
    expect(mail!.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    expect(mail!.headerLines.find((line) => line.key === 'list-unsubscribe')?.line).toContain(`<${link}>`);

    const token = new URL(link).searchParams.get('t')!;
    expect(await unsubscribe(`${token.slice(0, -2)}xx`)).toEqual({ ok: false }); // a forged signature records nothing
    expect(await unsubscribe(token)).toMatchObject({ ok: true, category: 'assignment', email: member.user.email.toLowerCase() });

    expect(await sendMail(owner.ctx, { to: [{ userId: member.user.id }], category: 'assignment', ...notice('Second assignment') })).toEqual({ queued: 0, skipped: 1 });
    expect(await sendMail(owner.ctx, { to: [{ userId: member.user.id }], category: 'risk_acceptance', ...notice('Risk acceptance requested') })).toEqual({ queued: 1, skipped: 0 });
    const log = await listMailLog(owner.ctx);
    expect(log.map((row) => [row.subject, row.status])).toEqual([
      ['Risk acceptance requested', 'QUEUED'], ['Second assignment', 'SKIPPED'], ['First assignment', 'SENT'],
    ]);

    // The same person in another organization still gets that category from it.
    const other = await createOrg();
    const otherOwner = await createMember(other, 'OWNER');
    await systemDb().membership.create({ data: { organizationId: other.id, userId: member.user.id, role: 'MEMBER' } });
    expect(await sendMail(otherOwner.ctx, { to: [{ userId: member.user.id }], category: 'assignment', ...notice('Elsewhere') })).toEqual({ queued: 1, skipped: 0 });
  });
});

describe('tenant isolation', () => {
  it('mails go only to the organization\'s members, and one organization\'s mail log is invisible to another', async () => {
    const a = await createOrg();
    const aOwner = await createMember(a, 'OWNER');
    const b = await createOrg();
    const bOwner = await createMember(b, 'OWNER');
    await sendMail(aOwner.ctx, { to: [{ userId: aOwner.user.id }], category: 'ticket', ...notice('For A') });
    // B names A's owner by user id: not a member of B, dropped.
    expect(await sendMail(bOwner.ctx, { to: [{ userId: aOwner.user.id }], category: 'ticket', ...notice('From B') })).toEqual({ queued: 0, skipped: 0 });
    expect((await listMailLog(aOwner.ctx)).map((row) => row.subject)).toEqual(['For A']);
    expect(await listMailLog(bOwner.ctx)).toEqual([]);
    // B's worker context cannot deliver A's message (row-level security hides it).
    const [aRow] = await rows(a.id);
    expect(await deliverMail(bOwner.ctx, aRow!.id, { isFinalAttempt: false, smtpUrl: 'smtp://127.0.0.1:1' })).toEqual({ outcome: 'nothing-to-do' });
    // Members below admin do not see the log.
    const bViewer = await createMember(b, 'VIEWER');
    await expect(listMailLog(bViewer.ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
