import { describe, expect, it } from 'vitest';
import { evidenceFileName, sniffEvidenceType } from './content-type';
import { evidenceStateOf } from './evidence-state';
import { parseStorageUrl } from './storage';

const now = new Date('2026-12-06T12:00:00Z');
const accepted = (validUntil: string) => ({ status: 'accepted', validUntil: new Date(validUntil) });

describe('evidenceStateOf', () => {
  it('is current with one accepted item in validity, whatever else there is', () => {
    expect(evidenceStateOf([accepted('2026-01-01'), accepted('2027-01-01')], 1, now)).toBe('current');
  });
  it('is requested over expired, expired with only lapsed accepted items, none for pending or rejected only', () => {
    expect(evidenceStateOf([accepted('2026-01-01')], 1, now)).toBe('requested');
    expect(evidenceStateOf([accepted('2026-12-06T12:00:00Z')], 0, now)).toBe('expired');
    expect(evidenceStateOf([{ status: 'pending', validUntil: new Date('2030-01-01') }, { status: 'rejected', validUntil: new Date('2030-01-01') }], 0, now)).toBe('none');
  });
});

describe('evidence file names and types', () => {
  it('keeps the base name and appends the real type\'s extension when the name lies', () => {
    expect(evidenceFileName('C:\\Users\\a\\policy.PDF', 'application/pdf')).toBe('policy.PDF');
    expect(evidenceFileName('scan.png', 'application/pdf')).toBe('scan.png.pdf');
    expect(evidenceFileName('a"b\u0000.txt', 'text/plain')).toBe('a_b_.txt');
    expect(evidenceFileName('', 'image/jpeg')).toBe('evidence.jpg');
  });
  it('reads text as text, refuses markup and empty files', async () => {
    await expect(sniffEvidenceType(new TextEncoder().encode('plain\tline\r\n'))).resolves.toBe('text/plain');
    await expect(sniffEvidenceType(new TextEncoder().encode('  \n<?xml version="1.0"?><svg/>'))).rejects.toThrow('HTML, SVG or XML');
    await expect(sniffEvidenceType(new Uint8Array())).rejects.toThrow('The file is empty');
    await expect(sniffEvidenceType(new Uint8Array([0x41, 0x00, 0x42]))).rejects.toThrow('binary data');
  });
});

describe('EVIDENCE_STORAGE_URL', () => {
  it('names the bucket, prefix, region, endpoint and path style', () => {
    expect(parseStorageUrl('s3://evidence/bulwark/prod?region=eu-west-1&endpoint=https://minio.internal:9000&forcePathStyle=true')).toEqual({
      bucket: 'evidence', prefix: 'bulwark/prod/', region: 'eu-west-1', endpoint: 'https://minio.internal:9000', forcePathStyle: true,
    });
    expect(parseStorageUrl('s3://evidence')).toEqual({ bucket: 'evidence', prefix: '', region: 'us-east-1', forcePathStyle: false });
  });
});
