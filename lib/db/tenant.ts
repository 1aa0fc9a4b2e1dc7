import { basePrisma } from './client';
import { TENANT_MODELS } from './tenant-models';
import type { OrgContext } from '../auth/context';

type Args = Record<string, unknown>;

const WHERE_OPERATIONS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany', 'upsert',
]);

function withOrgData(data: unknown, organizationId: string): unknown {
  if (Array.isArray(data)) return data.map((row: Args) => ({ ...row, organizationId }));
  return { ...(data as Args), organizationId };
}

/** Adds the organization to the where of reads, updates and deletes, and to the data of creates. */
export function withOrg(operation: string, args: Args | undefined, organizationId: string): Args {
  const next: Args = { ...(args ?? {}) };
  if (WHERE_OPERATIONS.has(operation)) next.where = { ...((next.where as Args | undefined) ?? {}), organizationId };
  if (operation === 'create' || operation === 'createMany' || operation === 'createManyAndReturn') {
    next.data = withOrgData(next.data, organizationId);
  }
  if (operation === 'upsert') next.create = withOrgData(next.create, organizationId);
  return next;
}

function scopeOrganization(operation: string, args: Args | undefined, organizationId: string): Args {
  if (!WHERE_OPERATIONS.has(operation)) {
    throw new Error(`Organization.${operation} is not allowed through a tenant-scoped client`);
  }
  return { ...(args ?? {}), where: { ...(((args ?? {}).where as Args | undefined) ?? {}), id: organizationId } };
}

/**
 * The Prisma client for one organization. Every query on a tenant model is scoped to `ctx.organizationId`,
 * so an id from another organization is simply not found. Services never write organizationId in a filter.
 */
export function dbFor(ctx: Pick<OrgContext, 'organizationId'>) {
  const organizationId = ctx.organizationId;
  if (!organizationId) throw new Error('dbFor needs an organization scope');
  return basePrisma().$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (TENANT_MODELS.has(model)) return query(withOrg(operation, args as Args, organizationId));
          if (model === 'Organization') return query(scopeOrganization(operation, args as Args, organizationId));
          return query(args);
        },
      },
    },
  });
}
export type TenantDb = ReturnType<typeof dbFor>;
export type TenantTx = Parameters<Parameters<TenantDb['$transaction']>[0]>[0];

/**
 * The unscoped client, for the few paths that legitimately cross tenants: resolving a session's memberships,
 * resolving an agent or API token by hash, the migration runner, catalog seeding, and sweeper jobs that then
 * build a per-organization context. Every caller is listed by `grep systemDb`.
 */
export function systemDb() {
  return basePrisma();
}
