/**
 * Prints shell exports of a report signing key and certificate made once on this machine (kept under the system's
 * temporary directory, mode 0600), for `npm run demo` and `npm run dev`, which run the web app with
 * NODE_ENV=production: production requires REPORT_SIGNING_KEY and REPORT_SIGNING_CERT (lib/platform/env.ts).
 * The certificate is self-signed and never published; a real deployment configures its own.
 *
 *   eval "$(npx tsx scripts/report-signing-key.ts)"
 */
import { machineSigningCredentials } from '../lib/services/reports/signing-credentials';

const { keyPem, certPem } = machineSigningCredentials('demo');
// PEM holds no single quote; one line each, with literal \n that lib/platform/env.ts reads back as newlines.
const oneLine = (pem: string) => pem.trim().replace(/\r?\n/g, '\\n');
process.stdout.write(`export REPORT_SIGNING_KEY='${oneLine(keyPem)}'\nexport REPORT_SIGNING_CERT='${oneLine(certPem)}'\n`);
