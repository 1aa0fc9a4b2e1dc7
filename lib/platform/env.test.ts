import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from './env';
import { DEVELOPMENT_CERT_MARKER, generateSigningCredentials } from '../services/reports/signing-credentials';

describe('the environment', () => {
  const documented = readFileSync('.env.example', 'utf8');
  const readme = readFileSync('README.md', 'utf8');
  it.each(Object.keys(EnvSchema.shape).filter((key) => key !== 'NODE_ENV'))('documents %s in .env.example and the README', (key) => {
    expect(documented).toMatch(new RegExp(`^${key}=`, 'm'));
    expect(readme).toContain(`\`${key}\``);
  });

  it('names every bad variable without printing values', () => {
    const result = EnvSchema.safeParse({ DATABASE_URL: 'not a url', WORKER_CONCURRENCY: '0', NEXTAUTH_SECRET: 'short' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['DATABASE_URL', 'WORKER_CONCURRENCY', 'NEXTAUTH_SECRET']));
  });
});

const SIGNING = generateSigningCredentials('Acme report signing');

describe('production refuses development defaults', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');
  const PRODUCTION = {
    NODE_ENV: 'production',
    NEXTAUTH_SECRET: 'a-real-random-secret-0123456789abcdefghij',
    OIDC_CLIENT_ID: 'bulwark-acme',
    OIDC_CLIENT_SECRET: 'idp-issued-client-secret',
    BULWARK_ENCRYPTION_KEY: KEY,
    AUDIT_SIGNING_KEY: 'another-random-value-for-the-audit-anchors-0123',
    REPORT_SIGNING_KEY: SIGNING.keyPem,
    REPORT_SIGNING_CERT: SIGNING.certPem,
  };
  const refused = (overrides: Record<string, string | undefined>) => {
    const result = EnvSchema.safeParse({ ...PRODUCTION, ...overrides });
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('starts with every secret set to its own value', () => {
    expect(refused({})).toEqual([]);
  });

  it.each([
    ['a missing NEXTAUTH_SECRET', { NEXTAUTH_SECRET: undefined }, 'NEXTAUTH_SECRET: is required'],
    ['an empty NEXTAUTH_SECRET', { NEXTAUTH_SECRET: '' }, 'NEXTAUTH_SECRET: is required'],
    ['the placeholder of .env.example and docker-compose.yml', { NEXTAUTH_SECRET: 'change-me-to-a-long-random-string' }, 'NEXTAUTH_SECRET: is a placeholder'],
    ['a short NEXTAUTH_SECRET', { NEXTAUTH_SECRET: 'only-twenty-chars-xx' }, 'NEXTAUTH_SECRET: must be at least 32'],
    ['the dev IdP client id', { OIDC_CLIENT_ID: 'bulwark-dev' }, "OIDC_CLIENT_ID: is the development IdP's client"],
    ['the dev IdP client id by default', { OIDC_CLIENT_ID: undefined }, "OIDC_CLIENT_ID: is the development IdP's client"],
    ['the dev IdP client secret', { OIDC_CLIENT_SECRET: 'bulwark-dev-secret' }, "OIDC_CLIENT_SECRET: is the development IdP's published secret"],
    ['a missing BULWARK_ENCRYPTION_KEY', { BULWARK_ENCRYPTION_KEY: undefined }, 'BULWARK_ENCRYPTION_KEY: is required'],
    ['a missing AUDIT_SIGNING_KEY', { AUDIT_SIGNING_KEY: undefined }, 'AUDIT_SIGNING_KEY: is required'],
    ['an AUDIT_SIGNING_KEY equal to NEXTAUTH_SECRET', { AUDIT_SIGNING_KEY: PRODUCTION.NEXTAUTH_SECRET }, 'AUDIT_SIGNING_KEY: must be its own random value'],
  ])('refuses %s, naming the variable', (_label, overrides, message) => {
    const issues = refused(overrides);
    expect(issues).toEqual([expect.stringContaining(message)]);
    expect(issues[0]).toContain('(NODE_ENV=production)');
  });

  it('requires a report signing key and certificate that match, and refuses the development certificate', () => {
    expect(refused({ REPORT_SIGNING_KEY: undefined, REPORT_SIGNING_CERT: undefined })).toEqual([expect.stringMatching(/^REPORT_SIGNING_KEY: is required with REPORT_SIGNING_CERT.*\(NODE_ENV=production\)$/)]);
    expect(refused({ REPORT_SIGNING_CERT: undefined })).toEqual([expect.stringMatching(/^REPORT_SIGNING_CERT: must be set together/)]);
    const other = generateSigningCredentials('Someone else');
    expect(refused({ REPORT_SIGNING_CERT: other.certPem })).toEqual([expect.stringMatching(/^REPORT_SIGNING_CERT: is not the certificate of REPORT_SIGNING_KEY/)]);
    const development = generateSigningCredentials(`${DEVELOPMENT_CERT_MARKER} (not for production)`);
    expect(refused({ REPORT_SIGNING_KEY: development.keyPem, REPORT_SIGNING_CERT: development.certPem })).toEqual([expect.stringMatching(/^REPORT_SIGNING_CERT: is Bulwark's development certificate/)]);
    // Outside production the development certificate is what Bulwark makes itself; one-line PEM (literal \n) reads as PEM.
    const oneLine = (pem: string) => pem.trim().replace(/\n/g, '\\n');
    expect(refused({ NODE_ENV: 'development', REPORT_SIGNING_KEY: oneLine(development.keyPem), REPORT_SIGNING_CERT: oneLine(development.certPem) })).toEqual([]);
    expect(refused({ REPORT_SIGNING_KEY: 'not a key', REPORT_SIGNING_CERT: SIGNING.certPem })).toEqual([expect.stringMatching(/^REPORT_SIGNING_KEY: must be a PEM private key/)]);
  });

  it('refuses an encryption key that is not the base64 of 32 bytes, in any environment', () => {
    for (const NODE_ENV of ['production', 'development']) {
      expect(refused({ NODE_ENV, BULWARK_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toEqual([expect.stringMatching(/^BULWARK_ENCRYPTION_KEY: must be the base64 of exactly 32/)]);
      expect(refused({ NODE_ENV, BULWARK_ENCRYPTION_KEY: 'not base64 at all, but forty-four chars long' })).toEqual([expect.stringMatching(/^BULWARK_ENCRYPTION_KEY:/)]);
    }
  });

  it('keeps working with no configuration outside production', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const result = EnvSchema.safeParse({ NODE_ENV, NEXTAUTH_SECRET: '', OIDC_CLIENT_ID: '', OIDC_CLIENT_SECRET: '' });
      expect(result.success).toBe(true);
      expect(result.data).toMatchObject({ OIDC_CLIENT_ID: 'bulwark-dev', OIDC_CLIENT_SECRET: 'bulwark-dev-secret' });
      expect([result.data?.NEXTAUTH_SECRET, result.data?.BULWARK_ENCRYPTION_KEY, result.data?.AUDIT_SIGNING_KEY]).toEqual([undefined, undefined, undefined]);
    }
  });

  it('names every refused variable at once, and never prints a value', () => {
    const issues = refused({ NEXTAUTH_SECRET: 'change-me-to-a-long-random-string', OIDC_CLIENT_ID: 'bulwark-dev', OIDC_CLIENT_SECRET: 'bulwark-dev-secret', BULWARK_ENCRYPTION_KEY: undefined, AUDIT_SIGNING_KEY: undefined });
    expect(issues.map((line) => line.split(':')[0])).toEqual(['NEXTAUTH_SECRET', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'BULWARK_ENCRYPTION_KEY', 'AUDIT_SIGNING_KEY']);
    expect(issues.join('\n')).not.toContain('change-me-to-a-long-random-string');
    expect(issues.join('\n')).not.toContain('bulwark-dev-secret');
  });
});
