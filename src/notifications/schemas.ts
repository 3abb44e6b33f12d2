import { z } from 'zod';
import { dbId } from '../web/validation.js';

export const NotificationParams = z.object({ notificationId: dbId });

export const PAGE_SIZE = 50;

export const NotificationQuery = z.object({
  unread: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(PAGE_SIZE),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const ListPageQuery = z.object({
  unread: z.enum(['0', '1']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
