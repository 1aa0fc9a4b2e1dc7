import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '../../platform/env';
import { logger } from '../../platform/log';

const log = logger.child({ component: 'mail' });
const transports = new Map<string, Transporter>();

/**
 * nodemailer's SMTP transport for a URL, one per URL per process (pooled connections would outlive a test's
 * server; a connection per message is plenty for Bulwark's volume). Time limits keep a stuck server from holding a
 * worker slot: the job fails and BullMQ retries it.
 */
export function smtpTransport(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/** The configured SMTP URL, or null when mail is off (SMTP_URL unset). */
export function configuredSmtpUrl(): string | null {
  return env().SMTP_URL ?? null;
}

/** Said once when a process that sends mail starts: production without SMTP_URL sends none. */
export function warnIfMailDisabled(): void {
  if (configuredSmtpUrl()) return;
  if (env().NODE_ENV === 'production') log.warn('SMTP_URL is not set: no e-mail will be sent (invitations, assignments, reminders and scheduled reports show as failed in Settings -> Mail)');
  else log.info('SMTP_URL is not set: mail is logged (without bodies), not sent');
}
