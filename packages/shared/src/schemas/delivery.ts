import { z } from 'zod';
import { DateTimeSchema, IdSchema } from './common.ts';

/*
 * Delivery of the brief (v2, issue 11): when the next one arrives and how, the delivery log and
 * the notices the app shows when a channel was turned off.
 */

export const DeliveryChannelSchema = z.enum(['email', 'webhook']);
export type DeliveryChannel = z.infer<typeof DeliveryChannelSchema>;

/** When and how the caller's next scheduled brief will arrive. */
export const NextDeliverySchema = z
  .object({
    at: DateTimeSchema.meta({ description: 'When it will be delivered (the start of a working period at or after the brief hour).' }),
    timezone: z.string(),
    local: z.string().meta({ description: 'The same time in the reader\'s zone, "YYYY-MM-DDTHH:MM".' }),
    channels: z.array(z.enum(['app', 'email', 'webhook'])).meta({ description: 'Always "app"; then each channel turned on.' }),
  })
  .meta({ id: 'NextDelivery' });
export type NextDelivery = z.infer<typeof NextDeliverySchema>;

export const DeliveryNoticeSchema = z
  .object({ id: IdSchema, channel: DeliveryChannelSchema, message: z.string(), createdAt: DateTimeSchema })
  .meta({ id: 'DeliveryNotice' });
export type DeliveryNotice = z.infer<typeof DeliveryNoticeSchema>;

export const DeliveryLogEntrySchema = z
  .object({
    id: IdSchema,
    briefId: IdSchema,
    channel: DeliveryChannelSchema,
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    attempts: z.number().int().nonnegative(),
    localDate: z.string(),
    dueAt: DateTimeSchema,
    sentAt: DateTimeSchema.nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'DeliveryLogEntry' });
export type DeliveryLogEntry = z.infer<typeof DeliveryLogEntrySchema>;

/** `GET /api/me/delivery`. */
export const DeliveryStatusResponseSchema = z
  .object({
    next: NextDeliverySchema.nullable().meta({ description: 'Null when no working day is set to come.' }),
    notices: z.array(DeliveryNoticeSchema),
    log: z.array(DeliveryLogEntrySchema).meta({ description: 'The latest deliveries, newest first (at most 20).' }),
    webhookSecret: z
      .string()
      .nullable()
      .meta({ description: 'The HMAC-SHA256 key of X-Handoff-Signature for the caller\'s webhook (null when none is set).' }),
  })
  .meta({ id: 'DeliveryStatusResponse' });
export type DeliveryStatusResponse = z.infer<typeof DeliveryStatusResponseSchema>;

/** `POST /api/me/delivery/webhook-secret`: the new signing secret (the old one stops working at once). */
export const WebhookSecretResponseSchema = z.object({ webhookSecret: z.string() }).meta({ id: 'WebhookSecretResponse' });
export type WebhookSecretResponse = z.infer<typeof WebhookSecretResponseSchema>;
