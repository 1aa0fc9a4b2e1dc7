import { z } from 'zod';

export const ListNotificationsQuerySchema = z.object({
  unreadOnly: z.preprocess((value) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value), z.boolean()).default(false),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** The id of the last notification of the previous page. */
  cursor: z.uuid().optional(),
});
export type ListNotificationsQueryInput = z.input<typeof ListNotificationsQuerySchema>;

/** Without ids: every unread notification of the current user. */
export const MarkNotificationsReadSchema = z.object({
  notificationIds: z.array(z.uuid()).min(1).max(200).optional(),
});
export type MarkNotificationsReadInput = z.input<typeof MarkNotificationsReadSchema>;
