import { createHash, createVerify, X509Certificate } from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import forge from 'node-forge';
import { env } from '../../platform/env';
import { machineSigningCredentials, type SigningCredentials } from './signing-credentials';

/** The certificate (chain) and key that sign PDF reports, with what the archive and /verify need to know of it. */
export type ReportSigner = {
  keyPem: string;
  /** Leaf certificate first, then any intermediates. */
  certChainPem: string[];
  /** SHA-256 of the leaf certificate's DER, lowercase hex: stored with each signed report. */
  fingerprint: string;
  /** The leaf certificate's subject common name (or the whole subject when it has none). */
  subjectName: string;
  /** The fallback made on this machine because nothing was configured (never in production). */
  development: boolean;
};

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits a PEM bundle into its certificates, leaf first as the operator wrote them. */
export function splitCertificateChain(pem: string): string[] {
  return [...pem.matchAll(PEM_CERT)].map((match) => `${match[0]}\n`);
}

export function certificateFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

function subjectNameOf(certPem: string): string {
  const subject = new X509Certificate(certPem).subject;
  return /^CN=(.*)$/m.exec(subject)?.[1] ?? subject.replace(/\n/g, ', ');
}

/** A signer from PEM credentials (checked: the key must belong to the first certificate, and be RSA). */
export function signerFrom(credentials: SigningCredentials, development = false): ReportSigner {
  const certChainPem = splitCertificateChain(credentials.certPem);
  const leaf = certChainPem[0];
  if (!leaf) throw new Error('report signing: the certificate PEM holds no certificate');
  return { keyPem: credentials.keyPem, certChainPem, fingerprint: certificateFingerprint(leaf), subjectName: subjectNameOf(leaf), development };
}

let configured: ReportSigner | undefined;

/**
 * The signer of this deployment: REPORT_SIGNING_KEY and REPORT_SIGNING_CERT (required in production, checked at
 * startup by lib/platform/env.ts), or outside production a development certificate generated once per machine.
 */
export function reportSigner(): ReportSigner {
  if (configured) return configured;
  const e = env();
  if (e.REPORT_SIGNING_KEY && e.REPORT_SIGNING_CERT) {
    configured = signerFrom({ keyPem: e.REPORT_SIGNING_KEY, certPem: e.REPORT_SIGNING_CERT });
  } else if (e.NODE_ENV === 'production') {
    throw new Error('report signing: REPORT_SIGNING_KEY and REPORT_SIGNING_CERT are required in production');
  } else {
    configured = signerFrom(machineSigningCredentials('development'), true);
  }
  return configured;
}

/** Tests that change the environment call this so the next reportSigner() reads it again. */
export function resetReportSignerForTests(): void {
  configured = undefined;
}

/**
 * PKCS#12 in memory for @signpdf/signer-p12 (the maintained CMS signer, built on node-forge), from the PEM an
 * operator configures. Never written anywhere; the passphrase only satisfies the format.
 */
function p12Of(signer: ReportSigner): Buffer {
  const key = forge.pki.privateKeyFromPem(signer.keyPem);
  const certs = signer.certChainPem.map((pem) => forge.pki.certificateFromPem(pem));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, 'bulwark', { algorithm: '3des', friendlyName: 'bulwark-report-signing' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/**
 * Signs a PDF rendered with a signature placeholder (render/pdf-signature.ts): a detached CMS signature (SHA-256,
 * signing time and the signer's chain) over every byte but the signature itself, by @signpdf/signpdf.
 */
export async function signPdf(pdf: Uint8Array, signer: ReportSigner, signingTime: Date): Promise<Buffer> {
  const p12 = new P12Signer(p12Of(signer), { passphrase: 'bulwark' });
  return new SignPdf().sign(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), p12, signingTime);
}

export type PdfSignatureCheck =
  | { status: 'valid'; signerFingerprint: string; signerName: string; signedAt: Date | null; trusted: boolean }
  | { status: 'unsigned' }
  | { status: 'invalid'; reason: string };

const OID = { sha256: forge.pki.oids.sha256, messageDigest: forge.pki.oids.messageDigest, signingTime: forge.pki.oids.signingTime };

/** The DER of the CMS structure inside /Contents: its length from its own header, so zero padding is never guessed. */
function derOf(hex: string): Buffer {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes[0] !== 0x30 || bytes.length < 2) throw new Error('the signature is not a DER SEQUENCE');
  const first = bytes[1] ?? 0;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  if (count === 0 || count > 4) throw new Error('the signature has an unsupported length');
  let length = 0;
  for (let index = 0; index < count; index += 1) length = length * 256 + (bytes[2 + index] ?? 0);
  if (2 + count + length > bytes.length) throw new Error('the signature is truncated');
  return bytes.subarray(0, 2 + count + length);
}

/**
 * Checks a signed PDF: exactly one signature whose byte range covers the whole file but the signature itself
 * (nothing appended after signing), a SHA-256 message digest equal to that of the covered bytes, and a signature
 * over the signed attributes that the embedded signer certificate's key verifies. `trusted` says whether that
 * certificate is `trustedFingerprint` (this deployment's configured one). Written with node-forge's ASN.1 reader
 * and node:crypto: @signpdf signs but does not verify.
 */
export function verifyPdfSignature(pdf: Buffer, trustedFingerprint: string | null): PdfSignatureCheck {
  const text = pdf.toString('latin1');
  const ranges = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (ranges.length === 0) return { status: 'unsigned' };
  if (ranges.length > 1) return { status: 'invalid', reason: 'the file carries more than one signature' };
  const [start, firstLength, second, secondLength] = ranges[0]!.slice(1, 5).map(Number) as [number, number, number, number];
  if (start !== 0 || second + secondLength !== pdf.length || firstLength >= second) {
    return { status: 'invalid', reason: 'the signature does not cover the whole file' };
  }
  const contents = text.slice(firstLength, second);
  if (!/^<[0-9a-fA-F]+>$/.test(contents)) return { status: 'invalid', reason: 'the signature contents are malformed' };
  try {
    const der = derOf(contents.slice(1, -1));
    const message = forge.pkcs7.messageFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')))) as forge.pkcs7.PkcsSignedData & {
      rawCapture?: { signerInfos?: forge.asn1.Asn1[] };
    };
    const signerInfos = message.rawCapture?.signerInfos ?? [];
    if (signerInfos.length !== 1) return { status: 'invalid', reason: 'the signature must have exactly one signer' };
    const fields = signerInfos[0]!.value as forge.asn1.Asn1[];
    const digestAlgorithm = forge.asn1.derToOid(((fields[2]?.value as forge.asn1.Asn1[])[0]?.value as string) ?? '');
    if (digestAlgorithm !== OID.sha256) return { status: 'invalid', reason: 'the signature does not use SHA-256' };
    const attributes = fields.find((field) => field.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && field.type === 0);
    const encryptedDigest = fields.find((field, index) => index > 3 && field.tagClass === forge.asn1.Class.UNIVERSAL && field.type === forge.asn1.Type.OCTETSTRING);
    if (!attributes || !encryptedDigest) return { status: 'invalid', reason: 'the signature has no signed attributes' };

    let messageDigest: string | null = null;
    let signedAt: Date | null = null;
    for (const attribute of attributes.value as forge.asn1.Asn1[]) {
      const [type, values] = attribute.value as forge.asn1.Asn1[];
      const oid = forge.asn1.derToOid(type?.value as string);
      const value = (values?.value as forge.asn1.Asn1[])[0];
      if (oid === OID.messageDigest) messageDigest = Buffer.from(value?.value as string, 'binary').toString('hex');
      if (oid === OID.signingTime && value) signedAt = value.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(value.value as string) : forge.asn1.generalizedTimeToDate(value.value as string);
    }
    const covered = createHash('sha256').update(pdf.subarray(0, firstLength)).update(pdf.subarray(second)).digest('hex');
    if (messageDigest !== covered) return { status: 'invalid', reason: 'the file was changed after it was signed' };

    // The signature covers the DER of the attributes as a SET (RFC 5652 §5.4), not their [0] IMPLICIT form.
    const set = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attributes.value as forge.asn1.Asn1[]);
    const signedBytes = Buffer.from(forge.asn1.toDer(set).getBytes(), 'binary');
    const serial = forge.util.bytesToHex(((fields[1]?.value as forge.asn1.Asn1[])[1]?.value as string) ?? '');
    const certificate = message.certificates.find((cert) => cert.serialNumber.replace(/^0+/, '') === serial.replace(/^0+/, ''));
    if (!certificate) return { status: 'invalid', reason: 'the signer certificate is not in the signature' };
    const certPem = forge.pki.certificateToPem(certificate);
    const ok = createVerify('sha256').update(signedBytes).verify(certPem, Buffer.from(encryptedDigest.value as string, 'binary'));
    if (!ok) return { status: 'invalid', reason: 'the signature does not verify with its certificate' };
    const signerFingerprint = certificateFingerprint(certPem);
    return { status: 'valid', signerFingerprint, signerName: subjectNameOf(certPem), signedAt, trusted: trustedFingerprint !== null && signerFingerprint === trustedFingerprint };
  } catch (error) {
    return { status: 'invalid', reason: `the signature cannot be read (${(error as Error).message})` };
  }
}
