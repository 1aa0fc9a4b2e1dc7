import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

// Tests and the e2e stack only: a self-signed certificate for https://127.0.0.1, made once per machine and user.
// Production Bulwark sends webhooks over https only; the e2e stack's worker trusts this certificate
// (NODE_EXTRA_CA_CERTS) so it can deliver to a receiver a spec starts on loopback.

export type LoopbackTls = { keyPem: string; certPem: string; certFile: string };

function generate(): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000);
  const subject = [{ name: 'commonName', value: '127.0.0.1' }, { name: 'organizationName', value: 'Bulwark test receiver' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true }, // self-signed: it is its own trust anchor
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** The machine's loopback certificate and key; concurrent first callers agree on one (write, then link into place). */
export function loopbackTls(directory = path.join(tmpdir(), `bulwark-loopback-tls-${userInfo().uid}`)): LoopbackTls {
  const file = path.join(directory, 'receiver.json');
  const certFile = path.join(directory, 'receiver-cert.pem');
  const read = (): LoopbackTls | null => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keyPem?: unknown; certPem?: unknown };
      return typeof parsed.keyPem === 'string' && typeof parsed.certPem === 'string' ? { keyPem: parsed.keyPem, certPem: parsed.certPem, certFile } : null;
    } catch {
      return null;
    }
  };
  let stored = read();
  if (!stored) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, JSON.stringify(generate()), { mode: 0o600 });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    stored = read();
    if (!stored) throw new Error(`loopback TLS: could not read ${file}`);
  }
  writeFileSync(certFile, stored.certPem);
  return stored;
}
