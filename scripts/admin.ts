/**
 * `npm run admin -- <command>`: operations for self-hosters and tests.
 *   org:create <name> --owner <email> [--slug s]
 *   cluster:create <org-slug> <name>            prints the agent token once
 *   token:revoke <org-slug> <token-id-or-prefix>
 *   apitoken:create <org-slug> --role auditor|member|viewer|admin [--name n]   prints once
 *   audit:verify [--org <slug>]                 checks every organization's audit chain and its signed anchors
 *   report:verify <file>                        is this file a report Bulwark issued, untouched?
 *   keys:rotate                                 re-encrypts stored secrets with the current BULWARK_ENCRYPTION_KEY
 * Add --json for machine-readable output.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { AppError } from '../lib/platform/errors';
import { createOrganization, findOrganizationBySlug } from '../lib/services/orgs/create-organization';
import { env } from '../lib/platform/env';
import { createCluster } from '../lib/services/clusters/create-cluster';
import { revokeAgentToken } from '../lib/services/clusters/agent-tokens';
import { createApiToken } from '../lib/services/orgs/api-tokens';
import { verifyAuditChains } from '../lib/services/audit/verify-audit';
import { systemContext, type OrgContext } from '../lib/platform/auth/context';
import { systemDb, dbFor } from '../lib/platform/db/tenant';
import { disconnectDb } from '../lib/platform/db/client';
import { ROLES } from '../lib/platform/auth/permissions';
import { rotateEncryptionKeys } from '../lib/services/sso/rotate-keys';

class UsageError extends Error {}

function print(json: boolean, data: unknown, human: string): void {
  console.log(json ? JSON.stringify(data, null, 2) : human);
}

async function orgContext(slug: string | undefined, reason: string): Promise<OrgContext> {
  if (!slug) throw new UsageError('missing <org-slug>');
  const org = await findOrganizationBySlug(slug);
  if (!org) throw new AppError('not_found', `No organization with slug "${slug}"`);
  return systemContext(org.id, reason, org.slug);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      owner: { type: 'string' }, slug: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' },
      org: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const json = values.json ?? false;
  switch (command) {
    case 'org:create': {
      const [name] = positionals;
      if (!name || !values.owner) throw new UsageError('usage: org:create <name> --owner <email> [--slug s]');
      const org = await createOrganization({ name, ownerEmail: values.owner, slug: values.slug });
      const invitationUrl = org.ownerInvitationToken ? `${env().APP_URL}/invitations/${org.ownerInvitationToken}` : null;
      print(json, { id: org.id, slug: org.slug, name: org.name, ownerInvitationUrl: invitationUrl },
        invitationUrl
          ? `created organization ${org.name} (/o/${org.slug}); ${values.owner} has no account yet: send them this owner invitation link (shown once, expires in ${org.invitationExpiryDays} days):\n${invitationUrl}`
          : `created organization ${org.name} (/o/${org.slug}); ${values.owner} is its owner`);
      return 0;
    }
    case 'cluster:create': {
      const [slug, name] = positionals;
      if (!name) throw new UsageError('usage: cluster:create <org-slug> <name>');
      const ctx = await orgContext(slug, 'admin-cli');
      const created = await createCluster(ctx, { name });
      print(json, { clusterId: created.cluster.id, name: created.cluster.name, token: created.token },
        `created cluster ${created.cluster.name} (${created.cluster.id})\nagent token (shown once): ${created.token}`);
      return 0;
    }
    case 'token:revoke': {
      const [slug, idOrPrefix] = positionals;
      if (!idOrPrefix) throw new UsageError('usage: token:revoke <org-slug> <token-id-or-prefix>');
      const ctx = await orgContext(slug, 'admin-cli');
      const token = await dbFor(ctx).agentToken.findFirst({ where: /^[0-9a-f-]{36}$/.test(idOrPrefix) ? { id: idOrPrefix } : { prefix: idOrPrefix } });
      if (!token) throw new AppError('not_found', `No agent token ${idOrPrefix} in ${slug}`);
      await revokeAgentToken(ctx, token.id);
      print(json, { revoked: token.id }, `revoked agent token ${token.prefix}… (${token.id})`);
      return 0;
    }
    case 'apitoken:create': {
      const [slug] = positionals;
      const role = values.role?.toUpperCase();
      if (!role || !ROLES.includes(role as (typeof ROLES)[number]) || role === 'OWNER') throw new UsageError('usage: apitoken:create <org-slug> --role admin|member|auditor|viewer [--name n]');
      const ctx = await orgContext(slug, 'admin-cli');
      const created = await createApiToken(ctx, { name: values.name ?? `${role.toLowerCase()} token`, role: role as 'ADMIN' });
      print(json, { id: created.id, token: created.token, role }, `API token (shown once): ${created.token}`);
      return 0;
    }
    case 'audit:verify': {
      const results = await verifyAuditChains(values.org);
      const broken = results.filter((r) => !r.ok);
      print(json, results, results.map((r) => r.ok
        ? `ok      ${r.organizationSlug}: ${r.entries} entries, chain intact, ${r.lastAnchor ? `${r.anchors} anchor(s) verified, last #${r.lastAnchor.seq} published ${r.lastAnchor.anchoredAt}` : 'no anchor yet'}`
        : `BROKEN  ${r.organizationSlug}: first broken entry #${r.firstBrokenSeq} (${r.reason})`).join('\n') || 'no organizations');
      return broken.length ? 1 : 0;
    }
    case 'report:verify': {
      const [file] = positionals;
      if (!file) throw new UsageError('usage: report:verify <file>');
      const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
      // Cross-tenant lookup by content hash: whoever holds the file may ask whether Bulwark issued it.
      const report = await systemDb().report.findFirst({ where: { sha256, status: 'DONE' }, include: { organization: { select: { name: true } } } });
      if (!report) {
        print(json, { valid: false, sha256 }, `NOT VERIFIED: ${file} (sha256 ${sha256}) is not a report Bulwark issued, or it was modified`);
        return 1;
      }
      print(json, { valid: true, sha256, reportId: report.id, organization: report.organization.name, frameworkId: report.frameworkId, issuedAt: report.finishedAt },
        `VERIFIED: ${file} is report ${report.id} for ${report.organization.name} (${report.frameworkId}), issued ${report.finishedAt?.toISOString()}, unmodified`);
      return 0;
    }
    case 'keys:rotate': {
      const result = await rotateEncryptionKeys();
      const lines = [
        `current key ${result.keyId}: re-encrypted ${result.reencrypted} secret(s), ${result.alreadyCurrent} already on it`,
        ...result.failed.map((f) => `FAILED  connection ${f.connectionId}: ${f.reason}`),
        result.failed.length ? 'Keep the old keys configured (BULWARK_ENCRYPTION_KEYS_OLD) until every secret is re-encrypted.' : 'Every secret uses the current key; old keys may be removed from BULWARK_ENCRYPTION_KEYS_OLD.',
      ];
      print(json, result, lines.join('\n'));
      return result.failed.length ? 1 : 0;
    }
    default:
      throw new UsageError(`unknown command "${command ?? ''}"; commands: org:create, cluster:create, token:revoke, apitoken:create, audit:verify, report:verify, keys:rotate`);
  }
}

main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; })
  .catch((error: unknown) => {
    if (error instanceof UsageError) { console.error(`admin: ${error.message}`); process.exitCode = 2; return; }
    if (error instanceof AppError) { console.error(`admin: ${error.message}`); process.exitCode = error.code === 'not_found' ? 3 : 1; return; }
    if (error instanceof Error && error.name === 'ZodError') { console.error(`admin: invalid input: ${error.message}`); process.exitCode = 2; return; }
    console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
