import { claimDue, type ClaimedDelivery } from '../domain/deliveries.ts';
import type { Clock } from '../domain/clock.ts';
import { recordDeliveries, sendDelivery, type DeliverContext, type DeliveryOutcome } from '../commands/deliver-brief.ts';
import type { Logger } from '../logger.ts';
import { createPeriodicRun, type PeriodicRun } from './periodic-run.ts';

/**
 * Sends the briefs' deliveries (issue 11) from the delivery log, every `intervalMs` (15 s) on the
 * Clock, or when asked (`runDue`).
 *
 * A run takes due rows in batches (`claimDue`: one short transaction marks a batch `sending`,
 * attempts + 1, leased for 2 minutes; rows outside the reader's working hours wait for her next
 * working period instead, so nothing is ever sent outside them), sends each batch with at most
 * `concurrency` sends at once (`sendDelivery`), records the batch's outcomes in one transaction
 * (`recordDeliveries`: sent, retried with backoff, or failed and the channel turned off with a
 * notice), yields to the event loop, and goes on until nothing is due. A crash between "sending" and "sent" leaves the row `sending`: when its lease
 * runs out a later run sends it again with the same delivery id, which the receiver uses to drop
 * the repeat (webhook `Idempotency-Key`, e-mail `Message-ID`).
 *
 * Driving it by hand (tests, simulations, benchmarks): `runDue(now)` does everything due at `now`
 * and resolves when every send of the run has been recorded; with a ManualClock, move the clock and
 * call `runDue()` (or `runDue(clock.now())`). Its outcome depends only on `now` and the database
 * (the retry jitter is drawn from the delivery id, not from Math.random).
 */
/** `runDue` sends everything due at `now` (default: the clock's now at each batch); the timer runs it every `intervalMs`. */
export type BriefDelivery = PeriodicRun<DeliveryRunSummary>;

export interface DeliveryRunSummary {
  sent: number;
  retried: number;
  failed: number;
}

export interface BriefDeliveryOptions {
  ctx: DeliverContext;
  log: Logger;
  /** How often the timer runs (default 15 s). */
  intervalMs?: number;
  /** Sends in flight at once (default 8). */
  concurrency?: number;
  /** Rows claimed per transaction (default 64; a batch must be sent within the 2-minute lease). */
  batchSize?: number;
}

/** Runs `work` over `items` with at most `limit` at once. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createBriefDelivery(options: BriefDeliveryOptions): BriefDelivery {
  const { ctx, log } = options;
  const clock: Clock = ctx.clock;
  const intervalMs = options.intervalMs ?? 15_000;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const batchSize = Math.max(1, options.batchSize ?? 64);

  async function sendOne(claimed: ClaimedDelivery, now: number, outcomes: DeliveryOutcome[]) {
    try {
      outcomes.push(await sendDelivery(ctx, claimed, now));
    } catch (err) {
      // Left `sending`: its lease runs out and a later run tries again.
      log.error({ msg: 'delivery failed unexpectedly', deliveryId: claimed.delivery.id, err });
    }
  }

  async function runDue(now?: number): Promise<DeliveryRunSummary> {
    const summary: DeliveryRunSummary = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const at = now ?? clock.now();
      const { due, claimed } = await claimDue(ctx.db, at, batchSize);
      if (!due) break;
      const outcomes: DeliveryOutcome[] = [];
      await inPool(claimed, concurrency, (c) => sendOne(c, at, outcomes));
      // One transaction records the whole batch (a crash before it: the batch is sent again after its lease).
      await recordDeliveries(ctx, outcomes, at);
      for (const o of outcomes) {
        if (o.kind === 'sent') summary.sent++;
        else if (o.kind === 'retry') summary.retried++;
        else summary.failed++;
      }
      await yieldToEventLoop();
    }
    if (summary.sent || summary.failed) log.info({ msg: 'brief deliveries', ...summary });
    return summary;
  }

  return createPeriodicRun({ clock, log, name: 'brief delivery', delayFrom: () => intervalMs, run: runDue, failed: { sent: 0, retried: 0, failed: 0 } });
}
