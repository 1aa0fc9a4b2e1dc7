import { pino } from 'pino';
import { env } from './env';

/**
 * Structured JSON logs. Never log snapshot bodies, tokens, secrets or env values: the redact paths are a
 * second line of defence for fields that carry them by name.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.BULWARK_SERVICE ?? 'bulwark' },
  redact: {
    paths: ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'secret', '*.secret', 'body', '*.body', 'password', '*.password'],
    censor: '[redacted]',
  },
});

export function configuredLogLevel(): string {
  return env().LOG_LEVEL;
}
