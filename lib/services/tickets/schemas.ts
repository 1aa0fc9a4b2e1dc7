import { z } from 'zod';
import type { TicketSeverity, TicketStatus } from '../../platform/db/client';

export const TICKET_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const satisfies readonly TicketSeverity[];
/** In workflow order: a ticket only moves forward along this list. */
export const TICKET_STATUSES = ['OPEN', 'INVESTIGATING', 'MITIGATED', 'RESOLVED', 'CLOSED'] as const satisfies readonly TicketStatus[];

const FindingIdsSchema = z.array(z.uuid()).max(200).transform((ids) => [...new Set(ids)]);
const longText = (max: number) => z.string().trim().max(max);

export const CreateTicketSchema = z.object({
  title: z.string().trim().min(1, 'Give the ticket a title').max(200),
  description: longText(20_000).default(''),
  severity: z.enum(TICKET_SEVERITIES),
  assigneeUserId: z.uuid().nullable().optional(),
  dueAt: z.coerce.date().nullable().optional(),
  /** Findings to link; empty for a standalone ticket. */
  findingIds: FindingIdsSchema.default([]),
});
export type CreateTicketInput = z.input<typeof CreateTicketSchema>;

/** Only the keys present change; `null` clears an optional field. */
export const UpdateTicketSchema = z.object({
  ticketId: z.uuid(),
  status: z.enum(TICKET_STATUSES).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  description: longText(20_000).optional(),
  severity: z.enum(TICKET_SEVERITIES).optional(),
  assigneeUserId: z.uuid().nullable().optional(),
  dueAt: z.coerce.date().nullable().optional(),
  rootCause: longText(20_000).nullable().optional(),
  resolution: longText(20_000).nullable().optional(),
  followUps: longText(20_000).nullable().optional(),
});
export type UpdateTicketInput = z.input<typeof UpdateTicketSchema>;

export const AddTicketUpdateSchema = z.object({
  ticketId: z.uuid(),
  body: z.string().trim().min(1, 'Write an update').max(5000),
});
export type AddTicketUpdateInput = z.input<typeof AddTicketUpdateSchema>;

export const LinkTicketFindingsSchema = z.object({
  ticketId: z.uuid(),
  findingIds: FindingIdsSchema.refine((ids) => ids.length > 0, 'Select at least one finding'),
});
export type LinkTicketFindingsInput = z.input<typeof LinkTicketFindingsSchema>;

function list<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value), z.array(item).max(10));
}

export const ListTicketsQuerySchema = z.object({
  status: list(z.enum(TICKET_STATUSES)).optional(),
  severity: list(z.enum(TICKET_SEVERITIES)).optional(),
  assigneeUserId: z.uuid().optional(),
  /** The number of the last ticket of the previous page (tickets are listed newest first). */
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListTicketsQueryInput = z.input<typeof ListTicketsQuerySchema>;
