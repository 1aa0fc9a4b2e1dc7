import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { DEVELOPMENT_REPORT_CERT_MARKER } from '../../platform/env';

/**
 * Signing credentials made on this machine, for development, tests, the demo and the e2e stack: never published,
 * so nobody else holds the key. Kept in PEM, the way an operator configures theirs (REPORT_SIGNING_KEY,
 * REPORT_SIGNING_CERT). Free of env and database so scripts and the e2e configuration can call it.
 */
export type SigningCredentials = { keyPem: string; certPem: string };

/**
 * The subject of the fallback certificate Bulwark makes outside production when no key is configured: production
 * refuses any certificate whose subject carries it (lib/platform/env.ts).
 */
export const DEVELOPMENT_CERT_MARKER = DEVELOPMENT_REPORT_CERT_MARKER;

/**
 * A self-signed certificate over a new RSA-2048 key (the key pair from node:crypto, fast and native; the X.509
 * certificate from node-forge, which node:crypto cannot issue). Valid from a day ago for `validDays`.
 */
export function generateSigningCredentials(commonName: string, options: { validDays?: number; organization?: string } = {}): SigningCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + (options.validDays ?? 825) * 86_400_000);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: options.organization ?? 'Bulwark' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/**
 * Credentials generated once per machine and user, then read back: the web app, the worker and the tests of one
 * machine sign and verify with the same certificate. The first process to need them writes a temporary file and
 * links it into place (link fails if another process got there first; then theirs is read), so concurrent starts
 * agree on one key.
 */
export function machineSigningCredentials(kind: 'development' | 'demo', directory = path.join(tmpdir(), `bulwark-report-signing-${userInfo().uid}`)): SigningCredentials {
  const file = path.join(directory, `${kind}.json`);
  const read = (): SigningCredentials | null => {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SigningCredentials>;
      return typeof parsed.keyPem === 'string' && typeof parsed.certPem === 'string' ? { keyPem: parsed.keyPem, certPem: parsed.certPem } : null;
    } catch {
      return null;
    }
  };
  const existing = read();
  if (existing) return existing;
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const commonName = kind === 'development'
    ? `${DEVELOPMENT_CERT_MARKER} (not for production)`
    : `Bulwark demo report signing (self-signed on ${hostname()})`;
  const credentials = generateSigningCredentials(commonName);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, JSON.stringify(credentials), { mode: 0o600 });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  const stored = read();
  if (!stored) throw new Error(`report signing: could not read ${file}`);
  return stored;
}
