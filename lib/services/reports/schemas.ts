import { z } from 'zod';

/** Frameworks a report can be requested for. */
/** Frameworks a report can be requested for; the forms offer the CIS version the organization chose (its settings). */
export const REPORT_FRAMEWORK_IDS = ['cis-k8s-1.9', 'cis-k8s-1.12', 'iso27001-2022'] as const;
export const REPORT_FORMATS = ['PDF', 'CSV', 'JSON', 'OSCAL'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A period bound: an ISO datetime, or a calendar day (UTC) as a date input sends it. A day means its start for
 * `periodStart` and its end for `periodEnd`, so "from 2026-11-01 to 2026-11-23" covers both whole days.
 */
const PeriodBoundSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** An organization's own framework (issue 23), by its key: `org:acme-platform`. */
export const OrgFrameworkReportIdSchema = z.string().regex(/^org:[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a catalog framework id, or org:<key> of one of the organization\'s frameworks');
/** Formats an organization framework's report comes in (OSCAL needs a published catalog to point at). */
export const ORG_FRAMEWORK_REPORT_FORMATS = ['PDF', 'CSV', 'JSON'] as const;

export const RequestReportSchema = z.object({
  frameworkId: z.union([z.enum(REPORT_FRAMEWORK_IDS), OrgFrameworkReportIdSchema]),
  /** Empty or absent: every cluster of the organization. */
  clusterIds: z.array(z.uuid()).max(200).default([]),
  periodStart: PeriodBoundSchema,
  periodEnd: PeriodBoundSchema,
  format: z.enum(REPORT_FORMATS),
});
export type RequestReportInput = z.input<typeof RequestReportSchema>;

export function resolvePeriodBound(value: string, bound: 'start' | 'end'): Date {
  if (DATE_ONLY.test(value)) return new Date(`${value}T${bound === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  return new Date(value);
}

export const ReportIdSchema = z.uuid();
