import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { and, deliveries, deliveryNotices, desc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, users, type Db, type DbOrTx, type Tx } from '@handoff/db';
import { newId } from './ids.ts';
import type { UserRow } from './model.ts';
import { isWorkingTime, localDateOf, nextWorkingStart, plannedDelivery } from './working-hours.ts';

/*
 * The delivery log and outbox (issue 11), as stored. A scheduled brief's deliveries are planned in
 * the transaction that stores it (`planDeliveries`), one per channel the reader opted in to, due
 * at the start of her next working period; the delivery job takes due rows (`claimDue`), sends
 * them and records the outcome (`markSent`, `markRetry`, `markFailed`). A row is `sending` while
 * one process holds it: `next_attempt_at` is then the end of its lease, after which another run
 * takes it over (a crash between "sending" and "sent"), and the receiver recognises the repeat by
 * the delivery id (webhook `Idempotency-Key`, e-mail `Message-ID`).
 */

export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryNoticeRow = typeof deliveryNotices.$inferSelect;
export type DeliveryChannel = DeliveryRow['channel'];

/** Attempts of one delivery before it is given up (temporary failures). */
export const MAX_ATTEMPTS = 8;
/** Consecutive temporary failures of a webhook delivery after which the webhook is turned off. */
export const WEBHOOK_MAX_FAILURES = 5;
/** How long a claimed delivery is held before another run may take it over. */
export const SENDING_LEASE_MS = 2 * 60_000;
const BACKOFF_BASE_MS = 60_000;
const BACKOFF_MAX_MS = 60 * 60_000;

/**
 * The wait before attempt `attempts + 1`: 1, 2, 4, 8 … minutes (at most an hour), with a jitter of
 * up to ±20% drawn from the delivery id and attempt (deterministic, so tests and simulations are
 * repeatable, yet spread over many deliveries that failed at once).
 */
export function backoffMs(deliveryId: string, attempts: number): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  const fraction = createHash('sha256').update(`${deliveryId}:${attempts}`).digest().readUInt32BE(0) / 0xffffffff;
  return Math.round(base * (0.8 + 0.4 * fraction));
}

/** A new webhook signing secret: 32 random bytes, base64url. */
export const newWebhookSecret = () => randomBytes(32).toString('base64url');

/**
 * Plans the deliveries of a just-stored scheduled brief, in the transaction that stored it: one row
 * per channel the reader has on now (`email` only when the server can send e-mail), due at the
 * start of her next working period at or after `builtAt`. At most one per channel and local day:
 * a delivery of that day still `pending` (an earlier brief built after the end of her working day,
 * e.g. a catch-up when the server starts in the evening) is pointed at this newer brief, which
 * covers at least as much — keeping its id, so a receiver that saw an earlier attempt still drops
 * the repeat; one already being sent or sent keeps its brief.
 */
export async function planDeliveries(
  tx: Tx,
  brief: { id: string; userId: string; createdAt: number },
  options: { emailAvailable: boolean },
): Promise<DeliveryRow[]> {
  const reader = await tx.select().from(users).where(eq(users.id, brief.userId)).get();
  if (!reader || reader.deactivatedAt !== null) return [];
  const plan = plannedDelivery(reader, brief.createdAt);
  if (!plan) return [];
  const targets: Array<[DeliveryChannel, string]> = [];
  if (options.emailAvailable && reader.deliveryEmail) targets.push(['email', reader.email]);
  if (reader.webhookUrl && reader.webhookSecret) targets.push(['webhook', reader.webhookUrl]);
  if (!targets.length) return [];
  const day = localDayBounds(reader, plan.localDate);
  const channels = targets.map(([channel]) => channel);
  // A delivery of an older brief still waiting (the server was down, or retrying) is superseded:
  // this brief covers at least as much, and one brief per channel and day is the promise.
  await tx
    .update(deliveries)
    .set({ status: 'failed', lastError: SUPERSEDED, updatedAt: brief.createdAt })
    .where(and(eq(deliveries.userId, reader.id), inArray(deliveries.channel, channels), eq(deliveries.status, 'pending'), lt(deliveries.localDate, plan.localDate)));
  // A late delivery already sent on that day counts as that day's.
  const sentThatDay = await tx
    .select({ channel: deliveries.channel })
    .from(deliveries)
    .where(and(eq(deliveries.userId, reader.id), eq(deliveries.status, 'sent'), gte(deliveries.sentAt, day.start), lt(deliveries.sentAt, day.end)))
    .all();
  const taken = new Set(sentThatDay.map((d) => d.channel));
  const open = targets.filter(([channel]) => !taken.has(channel));
  if (!open.length) return [];
  const rows: DeliveryRow[] = open.map(([channel, target]) => ({
    id: newId(),
    briefId: brief.id,
    userId: reader.id,
    channel,
    target,
    localDate: plan.localDate,
    status: 'pending',
    attempts: 0,
    dueAt: plan.dueAt,
    nextAttemptAt: plan.dueAt,
    lastError: null,
    createdAt: brief.createdAt,
    updatedAt: brief.createdAt,
    sentAt: null,
  }));
  return tx
    .insert(deliveries)
    .values(rows)
    .onConflictDoUpdate({
      target: [deliveries.userId, deliveries.channel, deliveries.localDate],
      set: { briefId: brief.id, target: sql`excluded.target`, updatedAt: brief.createdAt },
      setWhere: eq(deliveries.status, 'pending'),
    })
    .returning();
}

const SUPERSEDED = 'superseded by a newer brief';

/** The instants a local date of the person's spans: [start, end). */
function localDayBounds(person: Pick<UserRow, 'timezone'>, localDate: string): { start: number; end: number } {
  const day = DateTime.fromISO(localDate, { zone: person.timezone }).startOf('day');
  return { start: day.toMillis(), end: day.plus({ days: 1 }).startOf('day').toMillis() };
}

/** A delivery taken for sending, with its reader as she is now. */
export interface ClaimedDelivery {
  delivery: DeliveryRow;
  reader: UserRow;
}

/** Why a due delivery is not sent (it is marked failed with this text). */
function refusal(delivery: DeliveryRow, reader: UserRow): string | null {
  if (reader.deactivatedAt !== null) return 'the account is deactivated';
  if (delivery.channel === 'email' && !reader.deliveryEmail) return 'e-mail delivery was turned off before it was sent';
  if (delivery.channel === 'webhook' && !reader.webhookUrl) return 'the webhook was turned off before it was sent';
  return null;
}

/**
 * Takes up to `limit` due deliveries for sending at `now`, in one short transaction: pending ones
 * whose time has come and `sending` ones whose lease ran out. Each is checked against its reader
 * as she is now: outside her working hours (or while she is away) it waits for the start of her
 * next working period; a channel turned off marks it failed; a late one (its day has passed) is
 * given up when a newer brief's delivery exists for that channel, or when one was sent today
 * already (one per channel and local day). The rest become `sending` (attempts + 1, leased until
 * `now + SENDING_LEASE_MS`) and are returned. `due` is how many due rows were looked at (0:
 * nothing more is due).
 */
export async function claimDue(db: Db, now: number, limit: number): Promise<{ due: number; claimed: ClaimedDelivery[] }> {
  // One range of the (status, next_attempt_at) index per status, so that a batch reads `limit` rows
  // however many wait (an IN over both statuses would sort every due row for each batch).
  const dueOf = (status: 'pending' | 'sending') =>
    db
      .select({ delivery: deliveries, reader: users })
      .from(deliveries)
      .innerJoin(users, eq(users.id, deliveries.userId))
      .where(and(eq(deliveries.status, status), lte(deliveries.nextAttemptAt, now)))
      .orderBy(deliveries.nextAttemptAt)
      .limit(limit)
      .all();
  const candidates = [...(await dueOf('sending')), ...(await dueOf('pending'))].slice(0, limit);
  if (!candidates.length) return { due: 0, claimed: [] };
  const claimed: ClaimedDelivery[] = [];
  const claimable: ClaimedDelivery[] = [];
  const stillDue = and(inArray(deliveries.status, ['pending', 'sending']), lte(deliveries.nextAttemptAt, now));
  await db.transaction(async (tx) => {
    for (const { delivery, reader } of candidates) {
      const mine = and(eq(deliveries.id, delivery.id), stillDue);
      const refused = refusal(delivery, reader);
      if (refused) {
        await tx.update(deliveries).set({ status: 'failed', lastError: refused, updatedAt: now }).where(mine);
        continue;
      }
      if (!isWorkingTime(reader, now)) {
        const next = nextWorkingStart(reader, now);
        if (next === null) await tx.update(deliveries).set({ status: 'failed', lastError: 'no working hours to deliver in', updatedAt: now }).where(mine);
        else await tx.update(deliveries).set({ status: 'pending', nextAttemptAt: next, updatedAt: now }).where(mine);
        continue;
      }
      const today = localDateOf(reader, now);
      if (today > delivery.localDate) {
        const { start, end } = localDayBounds(reader, today);
        const newer = await tx
          .select({ id: deliveries.id })
          .from(deliveries)
          .where(
            and(
              eq(deliveries.userId, reader.id),
              eq(deliveries.channel, delivery.channel),
              or(gt(deliveries.localDate, delivery.localDate), and(eq(deliveries.status, 'sent'), gte(deliveries.sentAt, start), lt(deliveries.sentAt, end))),
            ),
          )
          .limit(1)
          .get();
        if (newer) {
          await tx.update(deliveries).set({ status: 'failed', lastError: SUPERSEDED, updatedAt: now }).where(mine);
          continue;
        }
      }
      claimable.push({ delivery, reader });
    }
    if (!claimable.length) return;
    // One statement claims the rest (still due: another process may have taken some meanwhile).
    const rows = await tx
      .update(deliveries)
      .set({ status: 'sending', attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: now + SENDING_LEASE_MS, updatedAt: now })
      .where(and(inArray(deliveries.id, claimable.map((c) => c.delivery.id)), stillDue))
      .returning();
    const readers = new Map(claimable.map((c) => [c.delivery.id, c.reader]));
    for (const row of rows) claimed.push({ delivery: row, reader: readers.get(row.id)! });
  });
  return { due: candidates.length, claimed };
}

/** Only the run that holds the lease records the outcome (a slower run whose lease was taken over does not). */
const held = (d: DeliveryRow) => and(eq(deliveries.id, d.id), eq(deliveries.status, 'sending'), eq(deliveries.attempts, d.attempts));

export async function markSent(db: DbOrTx, d: DeliveryRow, now: number): Promise<void> {
  await db.update(deliveries).set({ status: 'sent', sentAt: now, lastError: null, updatedAt: now }).where(held(d));
}

export async function markRetry(db: DbOrTx, d: DeliveryRow, error: string, nextAttemptAt: number, now: number): Promise<void> {
  await db.update(deliveries).set({ status: 'pending', lastError: error, nextAttemptAt, updatedAt: now }).where(held(d));
}

export async function markFailed(db: DbOrTx, d: DeliveryRow, error: string, now: number): Promise<void> {
  await db.update(deliveries).set({ status: 'failed', lastError: error, updatedAt: now }).where(held(d));
}

/**
 * Turns a channel off after it failed for good, with a notice for the app; only when the setting
 * is still the one that failed (an address or URL changed since is left alone). True if turned off.
 */
export async function disableChannel(tx: Tx, reader: UserRow, channel: DeliveryChannel, target: string, message: string, now: number): Promise<boolean> {
  const changed =
    channel === 'email'
      ? await tx
          .update(users)
          .set({ deliveryEmail: false, updatedAt: now })
          .where(and(eq(users.id, reader.id), eq(users.deliveryEmail, true), eq(users.email, target)))
          .returning({ id: users.id })
      : await tx
          .update(users)
          .set({ webhookUrl: null, webhookSecret: null, updatedAt: now })
          .where(and(eq(users.id, reader.id), eq(users.webhookUrl, target)))
          .returning({ id: users.id });
  if (!changed.length) return false;
  await tx.insert(deliveryNotices).values({ id: newId(), userId: reader.id, channel, message, createdAt: now, dismissedAt: null });
  return true;
}

/** The person's notices not yet dismissed, newest first. */
export async function openNotices(db: DbOrTx, userId: string): Promise<DeliveryNoticeRow[]> {
  return db
    .select()
    .from(deliveryNotices)
    .where(and(eq(deliveryNotices.userId, userId), isNull(deliveryNotices.dismissedAt)))
    .orderBy(desc(deliveryNotices.createdAt), desc(deliveryNotices.id))
    .limit(50)
    .all();
}

/** Dismisses one of the person's notices; false if she has no such notice. */
export async function dismissNotice(db: DbOrTx, userId: string, id: string, now: number): Promise<boolean> {
  const own = await db.select({ dismissedAt: deliveryNotices.dismissedAt }).from(deliveryNotices).where(and(eq(deliveryNotices.id, id), eq(deliveryNotices.userId, userId))).get();
  if (!own) return false;
  if (own.dismissedAt === null) await db.update(deliveryNotices).set({ dismissedAt: now }).where(eq(deliveryNotices.id, id));
  return true;
}

/** The person's latest deliveries, newest first. */
export async function deliveryLog(db: DbOrTx, userId: string, limit = 20): Promise<DeliveryRow[]> {
  return db.select().from(deliveries).where(eq(deliveries.userId, userId)).orderBy(desc(deliveries.dueAt), desc(deliveries.createdAt), desc(deliveries.id)).limit(limit).all();
}

/** The person's deliveries still to be sent (pending, or being sent), soonest first. */
export async function openDeliveries(db: DbOrTx, userId: string): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.userId, userId), inArray(deliveries.status, ['pending', 'sending'])))
    .orderBy(deliveries.nextAttemptAt)
    .all();
}

export async function deliveryById(db: DbOrTx, id: string): Promise<DeliveryRow | null> {
  return (await db.select().from(deliveries).where(eq(deliveries.id, id)).get()) ?? null;
}
