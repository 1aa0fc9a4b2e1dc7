import { z } from 'zod';
import {
  DEFAULT_SORT_DIRECTION, FINDING_PAGE_SORTS, FINDING_SOURCES, FINDING_STATUSES, MAX_FINDING_PAGE, ResourceFilterSchema, SEVERITIES, SORT_DIRECTIONS,
  type FindingPageSort, type FindingSource, type ListFindingsPageQueryInput, type SortDirection,
} from '@/lib/services/findings/schemas';
import { FRAMEWORK_IDS, FRAMEWORKS, type Framework } from '@/lib/analysis/frameworks';
import { isCisFrameworkId } from '@/lib/analysis/frameworks/cis-versions';
import { resolveRequirementFilter } from '@/lib/analysis/frameworks/resolve-requirement';
import type { QueryValue } from '@/app/_components/query-href';

type SearchParams = Record<string, string | string[] | undefined>;

/** Repeated keys (checkboxes) or "a,b": only the known values are kept, so a stale link still shows a page. */
function listOf<const T extends string>(values: readonly T[]) {
  return z.preprocess((raw) => {
    const parts = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((part: unknown) => String(part).split(','));
    return [...new Set(parts.map((part) => part.trim()).filter((part): part is T => (values as readonly string[]).includes(part)))];
  }, z.array(z.enum(values))).catch([]);
}

const text = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
const uuid = z.uuid().optional().catch(undefined);
const flag = z.preprocess((raw) => raw === '1' || raw === 'true' || raw === 'on', z.boolean()).catch(false);

/** Status choices of the filter: "active" (open or acknowledged) is what the dashboard counts, and the default. */
export const STATUS_CHOICES = ['active', ...FINDING_STATUSES, 'all'] as const;
export type StatusChoice = (typeof STATUS_CHOICES)[number];

// The dashboard and the controls page link with `control` and `cluster`; the API's names are accepted too.
const PageQuerySchema = z.object({
  cluster: uuid, clusterId: uuid,
  namespace: text(253),
  severity: listOf(SEVERITIES),
  status: listOf(STATUS_CHOICES),
  control: text(200), controlId: text(200),
  source: z.enum(FINDING_SOURCES).optional().catch(undefined),
  framework: z.enum(FRAMEWORK_IDS as [string, ...string[]]).optional().catch(undefined),
  requirement: text(50),
  assignee: uuid,
  team: uuid,
  mine: flag,
  overdue: flag,
  q: z.string().trim().max(200).optional().catch(undefined),
  resource: z.string().trim().max(600).optional().catch(undefined),
  sort: z.enum(FINDING_PAGE_SORTS).catch('severity'),
  dir: z.enum(SORT_DIRECTIONS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(MAX_FINDING_PAGE).catch(1).default(1),
});

export type FindingsPageQuery = {
  cluster?: string; namespace?: string; severity: string[]; status: StatusChoice; control?: string; source?: FindingSource; framework?: string;
  requirement?: string; assignee?: string; team?: string; mine: boolean; overdue: boolean; q?: string;
  /** One resource exactly: `Node/node-1` or `Deployment/shop/web` (ResourceFilterSchema). */
  resource?: string;
  /** The column the list is sorted by and its direction (the column's usual one when the URL names none). */
  sort: FindingPageSort; dir: SortDirection;
  /** The numbered page, from 1. */
  page: number;
  /** Why the filters cannot run as given (a requirement no framework has): shown, never silently dropped. */
  problem?: string;
  /** The framework was named by the requirement alone: the page redirects to the URL that says so. */
  frameworkInferred?: boolean;
};

/**
 * `frameworks`: the organization's (its CIS version, ISO, NSA: frameworkIdsForCis). A link naming the other CIS
 * version reads as the organization's, and a requirement typed alone is looked up in these frameworks only.
 */
export function parseFindingsPageQuery(params: SearchParams, frameworks: readonly Framework[] = FRAMEWORKS): FindingsPageQuery {
  const raw = PageQuerySchema.parse(params);
  const cis = frameworks.find((f) => isCisFrameworkId(f.id));
  if (raw.framework && isCisFrameworkId(raw.framework) && cis && !frameworks.some((f) => f.id === raw.framework)) raw.framework = cis.id;
  const [firstStatus] = raw.status;
  const query: FindingsPageQuery = {
    cluster: raw.cluster ?? raw.clusterId, namespace: raw.namespace, severity: raw.severity,
    // A comma list of statuses from an API-style link narrows to its first status; the form sends one.
    status: firstStatus ?? 'active',
    control: raw.control ?? raw.controlId, source: raw.source, framework: raw.framework, requirement: raw.requirement,
    assignee: raw.assignee, team: raw.team, mine: raw.mine, overdue: raw.overdue, q: raw.q || undefined, resource: raw.resource || undefined,
    sort: raw.sort, dir: raw.dir ?? DEFAULT_SORT_DIRECTION[raw.sort], page: raw.page,
  };
  if (query.resource) {
    const checked = ResourceFilterSchema.safeParse(query.resource);
    if (!checked.success) query.problem = `Resource "${query.resource}": ${checked.error.issues[0]?.message ?? 'not a resource'}`;
  }
  if (query.requirement) {
    const resolved = resolveRequirementFilter(query.requirement, query.framework, frameworks);
    if (resolved.ok) Object.assign(query, { framework: resolved.frameworkId, requirement: resolved.requirementCode, frameworkInferred: resolved.inferred });
    else query.problem = resolved.message;
  }
  return query;
}

/** The service's query: a requirement only with its framework, the status choice as a list. */
export function toListQuery(query: FindingsPageQuery, limit: number): ListFindingsPageQueryInput {
  const statuses = query.status === 'active' ? ['OPEN', 'ACKNOWLEDGED'] : query.status === 'all' ? undefined : [query.status];
  const requirement = query.framework && query.requirement ? { frameworkId: query.framework, requirementCode: query.requirement } : {};
  return {
    clusterId: query.cluster, namespace: query.namespace, severity: query.severity.length ? query.severity : undefined,
    status: statuses, controlId: query.control, source: query.source, ...requirement, assigneeUserId: query.assignee, teamId: query.team,
    mine: query.mine || undefined, overdue: query.overdue || undefined, q: query.q, resource: query.resource, sort: query.sort, dir: query.dir, page: query.page, limit,
  };
}

/** The page's own URL parameters for a query (for links that keep the filters); the usual sort and page 1 are left out. */
export function toSearch(query: FindingsPageQuery): Record<string, QueryValue> {
  return {
    cluster: query.cluster, namespace: query.namespace, severity: query.severity, status: query.status === 'active' ? undefined : query.status,
    control: query.control, source: query.source, framework: query.framework, requirement: query.requirement, assignee: query.assignee, team: query.team,
    mine: query.mine, overdue: query.overdue, q: query.q, resource: query.resource, sort: query.sort === 'severity' ? undefined : query.sort,
    dir: query.dir === DEFAULT_SORT_DIRECTION[query.sort] ? undefined : query.dir, page: query.page > 1 ? query.page : undefined,
  };
}

export function hasFilters(query: FindingsPageQuery): boolean {
  return Boolean(query.cluster || query.namespace || query.severity.length || query.status !== 'active' || query.control || query.source || query.framework
    || query.requirement || query.assignee || query.team || query.mine || query.overdue || query.q || query.resource);
}
