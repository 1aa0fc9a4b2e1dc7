// A loopback SMTP server for development, the demo and e2e: every message it accepts is written to a folder as
// an .eml file (open it with any mail client, or read it with mailparser). Never for production: no TLS, no auth.
//   npx tsx scripts/smtp-sink.ts [--port 2525] [--dir artifacts/mail]
import { startSmtpSink } from '../lib/testing/smtp-sink';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

const port = Number(option('port', process.env.SMTP_SINK_PORT ?? '2525'));
const dir = option('dir', process.env.SMTP_SINK_DIR ?? 'artifacts/mail');
const sink = await startSmtpSink({ port, dir });
console.log(`[smtp-sink] listening on ${sink.url}, writing messages to ${dir}/`);
const stop = () => void sink.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
