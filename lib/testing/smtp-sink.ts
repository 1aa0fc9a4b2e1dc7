import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpSink = { port: number; url: string; dir: string; close(): Promise<void> };

/**
 * A real SMTP server on loopback (smtp-server, nodemailer's project) that writes each message it accepts to
 * `dir` as an .eml file (`<time>-<n>.eml`, so a directory listing is in arrival order). No authentication, no TLS:
 * it only listens on 127.0.0.1, for development, the demo and tests. `refuse` makes it answer every RCPT TO
 * with a permanent 550 (a bounce).
 */
export async function startSmtpSink(options: { dir: string; port?: number; refuse?: boolean }): Promise<SmtpSink> {
  mkdirSync(options.dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (options.refuse) return callback(Object.assign(new Error(`550 5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        n += 1;
        const name = `${Date.now().toString().padStart(15, '0')}-${String(n).padStart(6, '0')}.eml`;
        try {
          writeFileSync(path.join(options.dir, name), Buffer.concat(chunks));
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {}); // a client's broken connection must not end the sink
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0;
  return { port, url: `smtp://127.0.0.1:${port}`, dir: options.dir, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Every message in a sink's folder, parsed by mailparser, oldest first. */
export async function readSinkMessages(dir: string): Promise<ParsedMail[]> {
  let names: string[] = [];
  try { names = readdirSync(dir).filter((name) => name.endsWith('.eml')).sort(); } catch { return []; }
  return Promise.all(names.map((name) => simpleParser(readFileSync(path.join(dir, name)))));
}

/** The addresses a parsed message was sent to. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
}
