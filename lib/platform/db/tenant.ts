import { basePrisma, Prisma } from './client';
import { TENANT_MODELS } from './tenant-models';

type Args = Record<string, unknown>;

/**
 * What the database needs to know of a request: whose rows it may touch. Every OrgContext (lib/platform/auth) is
 * one; the database layer knows nothing of actors or roles.
 */
export type TenantScope = { organizationId: string };

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

function scopedClient(organizationId: string) {
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
type ScopedClient = ReturnType<typeof scopedClient>;

/**
 * Row-level security (migration 20261123180000): every statement of a tenant runs inside a transaction as the
 * role bulwark_tenant with bulwark.org_id set, so Postgres itself refuses rows of another organization even if
 * a filter above were wrong. `set_config(..., true)` lasts until the end of the transaction only.
 */
function rlsSetup(client: ScopedClient, organizationId: string) {
  return client.$executeRaw`SELECT set_config('role', 'bulwark_tenant', true), set_config('bulwark.org_id', ${organizationId}, true)`;
}

type RawArgs = [query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]];
const RAW_METHODS = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe']);

/**
 * The Prisma client for one organization. Every query on a tenant model is scoped to `ctx.organizationId`
 * twice: in the query (so an id from another organization is simply not found) and by Postgres row-level
 * security. Services never write organizationId in a filter.
 */
export function dbFor(ctx: TenantScope) {
  const organizationId = ctx.organizationId;
  if (!organizationId) throw new Error('dbFor needs an organization scope');
  const scoped = scopedClient(organizationId);
  // Single statements outside an interactive transaction: wrapped in a short batch transaction with the setup.
  const wrapped = scoped.$extends({
    name: 'tenant-rls',
    query: {
      $allModels: {
        async $allOperations({ args, query }) {
          const [, result] = await scoped.$transaction([rlsSetup(scoped, organizationId), query(args)]);
          return result;
        },
      },
    },
  });
  // A Proxy rather than a client extension: Prisma extensions cannot wrap $transaction or raw queries, and an
  // interactive transaction must use the scoped client (a batch transaction cannot nest inside it).
  return new Proxy(wrapped, {
    get(target, property, receiver) {
      if (property === '$transaction') {
        return (input: unknown, options?: { maxWait?: number; timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel }) => {
          if (typeof input === 'function') {
            const work = input as (tx: unknown) => Promise<unknown>;
            return scoped.$transaction(async (tx) => {
              await tx.$executeRaw`SELECT set_config('role', 'bulwark_tenant', true), set_config('bulwark.org_id', ${organizationId}, true)`;
              return work(tx);
            }, options);
          }
          const batch = input as Parameters<ScopedClient['$transaction']>[0];
          return scoped.$transaction([rlsSetup(scoped, organizationId), ...(batch as unknown as Prisma.PrismaPromise<unknown>[])], options).then((results) => results.slice(1));
        };
      }
      if (typeof property === 'string' && RAW_METHODS.has(property)) {
        return async (...args: RawArgs) => {
          const method = (scoped as unknown as Record<string, (...a: RawArgs) => Prisma.PrismaPromise<unknown>>)[property];
          if (!method) throw new Error(`no ${property} on the client`);
          const [, result] = await scoped.$transaction([rlsSetup(scoped, organizationId), method.apply(scoped, args)]);
          return result;
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
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
