import type { TicketStatus } from '../../platform/db/client';
import { TICKET_STATUSES } from './schemas';

/**
 * Tickets move forward only (OPEN -> INVESTIGATING -> MITIGATED -> RESOLVED -> CLOSED), skipping steps
 * allowed: an incident's history is a record, and going back would rewrite it. Reopening means a new ticket.
 */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_STATUSES.indexOf(to) > TICKET_STATUSES.indexOf(from);
}

/** What a ticket needs before it can be CLOSED: the fields a post-incident review reads. */
export function missingForClose(ticket: { rootCause: string | null; resolution: string | null }): ('rootCause' | 'resolution')[] {
  const missing: ('rootCause' | 'resolution')[] = [];
  if (!ticket.rootCause?.trim()) missing.push('rootCause');
  if (!ticket.resolution?.trim()) missing.push('resolution');
  return missing;
}
