import { and, briefs, eq, gte, or, type DbOrTx } from '@handoff/db';
import { deliveryLog, openDeliveries, openNotices, type DeliveryChannel, type DeliveryNoticeRow, type DeliveryRow } from '../domain/deliveries.ts';
import { notFound } from '../domain/errors.ts';
import type { UserRow } from '../domain/model.ts';
import { userById } from '../domain/users.ts';
import { briefTimeOn, localDateOf, nextScheduledDelivery } from '../domain/working-hours.ts';
import type { CommandContext } from './transaction.ts';

export interface DeliveryStatusContext extends Pick<CommandContext, 'db' | 'clock'> {
  config: { delivery: { smtpUrl: string | null } };
}

export interface NextDelivery {
  at: number;
  timezone: string;
  channels: Array<'app' | DeliveryChannel>;
}

export interface DeliveryStatus {
  reader: UserRow;
  next: NextDelivery | null;
  notices: DeliveryNoticeRow[];
  log: DeliveryRow[];
}

/** Has the reader had today's brief already, by the scheduler's rule (today's scheduled one, or one built since the brief hour)? */
async function builtToday(db: DbOrTx, reader: UserRow, now: number): Promise<boolean> {
  const today = localDateOf(reader, now);
  const briefAt = briefTimeOn(reader, today);
  if (briefAt === null || briefAt > now) return false;
  const found = await db
    .select({ id: briefs.id })
    .from(briefs)
    .where(and(eq(briefs.userId, reader.id), or(eq(briefs.scheduledFor, today), gte(briefs.createdAt, briefAt))))
    .limit(1)
    .get();
  return found !== undefined;
}

/**
 * `GET /api/me/delivery`: how and when the caller's next brief arrives, her notices not yet
 * dismissed, and her latest 20 deliveries. The next one is a delivery already planned and not yet
 * sent, if any; otherwise the scheduler's rules tell it: the brief hour of her next brief day
 * (a working day she is not away), delivered at the start of the working period at or after it.
 * Its channels are always the app, then e-mail (when she has it on and the server can send
 * e-mail) and her webhook.
 */
export async function getDeliveryStatus(ctx: DeliveryStatusContext, userId: string): Promise<DeliveryStatus> {
  // Read fresh: the cached identity may predate a channel the delivery job turned off.
  const reader = await userById(ctx.db, userId);
  if (!reader) throw notFound('User');
  const now = ctx.clock.now();
  const [planned, notices, log] = await Promise.all([openDeliveries(ctx.db, userId), openNotices(ctx.db, userId), deliveryLog(ctx.db, userId)]);
  // A channel turned off since is not sent (the delivery job drops it).
  const open = planned.filter((d) => (d.channel === 'email' ? reader.deliveryEmail : reader.webhookUrl !== null));
  let next: NextDelivery | null = null;
  const first = open[0];
  if (first) {
    const sameDay = open.filter((d) => d.localDate === first.localDate);
    next = {
      at: Math.max(now, Math.min(...sameDay.map((d) => d.nextAttemptAt))),
      timezone: reader.timezone,
      channels: ['app', ...(['email', 'webhook'] as const).filter((c) => sameDay.some((d) => d.channel === c))],
    };
  } else {
    const planned = nextScheduledDelivery(reader, now, await builtToday(ctx.db, reader, now));
    if (planned) {
      const channels: NextDelivery['channels'] = ['app'];
      if (reader.deliveryEmail && ctx.config.delivery.smtpUrl) channels.push('email');
      if (reader.webhookUrl) channels.push('webhook');
      next = { at: planned.dueAt, timezone: reader.timezone, channels };
    }
  }
  return { reader, next, notices, log };
}
