import { DateTime } from 'luxon';
import type { DeliveryStatus } from '../commands/get-delivery-status.ts';
import { iso, isoOrNull } from './time.ts';

/** `GET /api/me/delivery`: the next delivery (also as local wall-clock time), notices, the log and the webhook's secret. */
export function presentDeliveryStatus(s: DeliveryStatus) {
  const next = s.next;
  return {
    next: next
      ? {
          at: iso(next.at),
          timezone: next.timezone,
          local: DateTime.fromMillis(next.at, { zone: next.timezone }).toFormat("yyyy-MM-dd'T'HH:mm"),
          channels: next.channels,
        }
      : null,
    notices: s.notices.map((n) => ({ id: n.id, channel: n.channel, message: n.message, createdAt: iso(n.createdAt) })),
    log: s.log.map((d) => ({
      id: d.id,
      briefId: d.briefId,
      channel: d.channel,
      status: d.status,
      attempts: d.attempts,
      localDate: d.localDate,
      dueAt: iso(d.dueAt),
      sentAt: isoOrNull(d.sentAt),
      lastError: d.lastError,
    })),
    webhookSecret: s.reader.webhookUrl ? s.reader.webhookSecret : null,
  };
}
