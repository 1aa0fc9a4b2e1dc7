'use server';
import { orgAction } from '@/lib/web/action';
import { markNotificationsRead } from '@/lib/services/notifications/mark-notifications-read';
import { MarkNotificationsReadSchema } from '@/lib/services/notifications/schemas';

/** Without ids: every unread notification of the signed-in user. Only their own are ever touched. */
export const markNotificationsReadAction = orgAction(MarkNotificationsReadSchema, markNotificationsRead);
