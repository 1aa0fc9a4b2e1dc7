'use server';
import { orgAction } from '@/lib/web/action';
import { createTicket, linkTicketFindings } from '@/lib/services/tickets/create-ticket';
import { addTicketUpdate, updateTicket } from '@/lib/services/tickets/update-ticket';
import { AddTicketUpdateSchema, CreateTicketSchema, LinkTicketFindingsSchema, UpdateTicketSchema } from '@/lib/services/tickets/schemas';

/** Standalone, or from findings (`findingIds`): the page links to the new ticket by its number. */
export const createTicketAction = orgAction(CreateTicketSchema, async (ctx, input) => {
  const ticket = await createTicket(ctx, input);
  return { id: ticket.id, number: ticket.number };
});
export const updateTicketAction = orgAction(UpdateTicketSchema, async (ctx, input) => {
  const ticket = await updateTicket(ctx, input);
  return { id: ticket.id, status: ticket.status };
});
export const addTicketUpdateAction = orgAction(AddTicketUpdateSchema, async (ctx, input) => ({ id: (await addTicketUpdate(ctx, input)).id }));
export const linkTicketFindingsAction = orgAction(LinkTicketFindingsSchema, linkTicketFindings);
