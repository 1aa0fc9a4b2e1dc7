import { z } from 'zod';

const word = (field: string, max: number) =>
  z.string().trim().min(1, `Give a ${field}`).max(max, `A ${field} is at most ${max} characters`);

/** A verb as RBAC writes it: any word (unknown verbs are answered, since `*` grants them), or `*`. */
const Verb = word('verb', 64).regex(/^(\*|[A-Za-z][A-Za-z0-9-]*)$/, 'A verb is a word such as get, list or create');
/** A resource, perhaps with its subresource (`pods/exec`), or `*`. */
const Resource = word('resource', 253).regex(/^(\*|[a-z0-9][a-z0-9.-]*)(\/(\*|[a-z0-9][a-z0-9.-]*))?$/, 'A resource is a plural lowercase name such as secrets, or pods/exec');
const Subresource = word('subresource', 63).regex(/^[a-z0-9][a-z0-9.-]*$/, 'A subresource is a lowercase name such as exec or log');
const Namespace = word('namespace', 63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'A namespace is a DNS label: lowercase letters, digits and dashes');
const ObjectName = word('name', 253).regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'Not a Kubernetes object name');
const ApiGroup = z.string().trim().max(253, 'An API group is at most 253 characters').regex(/^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$/, 'An API group is empty (core) or a DNS name such as apps');
const SubjectName = word('name', 253).refine((value) => !/\s/.test(value) && [...value].every((c) => c.charCodeAt(0) >= 32), 'A subject name has no spaces or control characters');

/**
 * A point in time: an ISO date (the end of that day, UTC: "at 2026-03-01" includes that day's snapshots) or an ISO
 * date-time with an offset.
 */
export const AtSchema = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) || z.iso.datetime({ offset: true }).safeParse(value).success, 'Give a date (2026-03-01) or an ISO date-time')
  .transform((value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : new Date(value)))
  .refine((date) => !Number.isNaN(date.getTime()), 'Not a valid date');

/** Empty query parameters (an untouched form field) mean "not given". */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const WhoCanQuerySchema = z
  .object({
    verb: Verb,
    resource: Resource,
    subresource: optional(Subresource),
    name: optional(ObjectName),
    namespace: optional(Namespace),
    apiGroup: ApiGroup.optional(),
    at: optional(AtSchema),
  })
  .strict();
export type WhoCanQueryInput = z.input<typeof WhoCanQuerySchema>;

export const WhatCanQuerySchema = z
  .object({
    kind: z.enum(['User', 'Group', 'ServiceAccount'], { error: 'kind is User, Group or ServiceAccount' }),
    name: SubjectName,
    namespace: optional(Namespace),
    at: optional(AtSchema),
  })
  .strict()
  .refine((q) => q.kind !== 'ServiceAccount' || q.namespace !== undefined, { path: ['namespace'], message: 'A ServiceAccount needs its namespace' });
export type WhatCanQueryInput = z.input<typeof WhatCanQuerySchema>;

export const CompareQuerySchema = z
  .object({
    from: optional(AtSchema),
    to: optional(AtSchema),
    otherCluster: optional(z.uuid('otherCluster is a cluster id')),
  })
  .strict()
  .refine((q) => q.otherCluster !== undefined || q.from !== undefined, { path: ['from'], message: 'Give from (a date) or otherCluster (a cluster id)' })
  .refine((q) => !(q.from && q.to) || q.from.getTime() <= q.to.getTime(), { path: ['to'], message: 'to must not be before from' });
export type CompareQueryInput = z.input<typeof CompareQuerySchema>;
