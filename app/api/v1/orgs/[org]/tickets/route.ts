import { orgRoute } from '@/lib/web/org-route';
import { json } from '@/lib/web/respond';
import { listTickets } from '@/lib/services/tickets/list-tickets';
import { createTicket } from '@/lib/services/tickets/create-ticket';
import { CreateTicketSchema, ListTicketsQuerySchema } from '@/lib/services/tickets/schemas';

export const dynamic = 'force-dynamic';

/** Tickets newest first: `?status=OPEN,INVESTIGATING&severity=SEV1&cursor=<number>&limit=50`. */
export const GET = orgRoute({ query: ListTicketsQuerySchema }, async ({ ctx, query }) => json(await listTickets(ctx, query)));

/** A ticket, standalone or linking findings (`findingIds`); 201 with the ticket. */
export const POST = orgRoute({ body: CreateTicketSchema }, async ({ ctx, body }) => json(await createTicket(ctx, body), 201));
