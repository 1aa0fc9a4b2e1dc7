'use server';
import { orgAction } from '@/lib/web/action';
import { markNotificationsRead } from '@/lib/notifications/list-notifications';
import { MarkNotificationsReadSchema } from '@/lib/notifications/schemas';

/** Without ids: every unread notification of the signed-in user. Only their own are ever touched. */
export const markNotificationsReadAction = orgAction(MarkNotificationsReadSchema, markNotificationsRead);
