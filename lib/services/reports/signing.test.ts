import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPdf } from './render/pdf';
import { sampleReportData } from './render/sample-report';
import { generateSigningCredentials } from './signing-credentials';
import { signerFrom, signPdf, verifyPdfSignature } from './signing';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FONT_DIR = path.join(ROOT, 'node_modules/dejavu-fonts-ttf/ttf');
const FONTS = { regular: readFileSync(path.join(FONT_DIR, 'DejaVuSans.ttf')), bold: readFileSync(path.join(FONT_DIR, 'DejaVuSans-Bold.ttf')) };
const OUT_DIR = path.join(ROOT, 'artifacts/reports');
const SIGNING_TIME = new Date('2026-11-23T12:00:00.000Z');

async function render(signed: boolean): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const options = signed
    ? {
      verification: { url: 'https://bulwark.example.com/verify', contentSha256: 'ab'.repeat(32), signed: true },
      signature: { name: 'Acme report signing', reason: 'test', location: 'https://bulwark.example.com/verify', contactInfo: 'https://bulwark.example.com/verify', signingTime: SIGNING_TIME },
    }
    : {};
  for await (const chunk of renderPdf(sampleReportData({ findings: 40 }), FONTS, options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('signing a PDF report', () => {
  // A key made for this run: no key is shared between machines or committed.
  const signer = signerFrom(generateSigningCredentials('Acme report signing', { organization: 'Acme' }));

  it('embeds a CMS signature that verifies against the signing certificate, over the whole file', async () => {
    const signed = await signPdf(await render(true), signer, SIGNING_TIME);
    const check = verifyPdfSignature(signed, signer.fingerprint);
    expect(check).toEqual({ status: 'valid', signerFingerprint: signer.fingerprint, signerName: 'Acme report signing', signedAt: SIGNING_TIME, trusted: true });
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(path.join(OUT_DIR, 'signed-sample.pdf'), signed);
    // poppler's pdfsig, where installed, reads the same signature as valid (a reader other than ours).
    if (existsSync('/usr/bin/pdfsig')) {
      let output = '';
      try {
        output = execFileSync('/usr/bin/pdfsig', [path.join(OUT_DIR, 'signed-sample.pdf')], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toContain('Signature is Valid');
      expect(output).toContain('Total document signed');
    }
  });

  it('says another certificate signed it when that is not the configured one', async () => {
    const signed = await signPdf(await render(true), signer, SIGNING_TIME);
    const other = signerFrom(generateSigningCredentials('Someone else'));
    expect(verifyPdfSignature(signed, other.fingerprint)).toMatchObject({ status: 'valid', trusted: false, signerName: 'Acme report signing' });
  });

  it('refuses a file with one changed byte, inside or outside the signed text, and one with bytes appended', async () => {
    const signed = await signPdf(await render(true), signer, SIGNING_TIME);
    const text = signed.toString('latin1');
    const inCover = Buffer.from(signed);
    const at = text.indexOf('/Title (');
    inCover[at + 8] = inCover[at + 8]! ^ 0x01;
    expect(verifyPdfSignature(inCover, signer.fingerprint)).toEqual({ status: 'invalid', reason: 'the file was changed after it was signed' });

    const inSignature = Buffer.from(signed);
    const contents = text.indexOf('/Contents <') + '/Contents <'.length;
    inSignature[contents + 600] = inSignature[contents + 600] === 0x30 ? 0x31 : 0x30;
    expect(verifyPdfSignature(inSignature, signer.fingerprint).status).toBe('invalid');

    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    expect(verifyPdfSignature(appended, signer.fingerprint)).toEqual({ status: 'invalid', reason: 'the signature does not cover the whole file' });
  });

  it('reads an unsigned PDF as unsigned', async () => {
    expect(verifyPdfSignature(await render(false), signer.fingerprint)).toEqual({ status: 'unsigned' });
  });
});
