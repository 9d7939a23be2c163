import { markAcknowledged, ownBrief } from '../domain/brief-store.ts';
import { notFound } from '../domain/errors.ts';
import type { CommandContext } from './transaction.ts';

/**
 * "I am caught up": the reader's next brief starts where this one ends. Idempotent (the first
 * acknowledgement's time is kept); someone else's brief is a 404 like a missing one.
 */
export async function acknowledgeBrief(ctx: Pick<CommandContext, 'db' | 'clock'>, userId: string, briefId: string): Promise<void> {
  const row = await ownBrief(ctx.db, userId, briefId);
  if (!row) throw notFound('Brief');
  if (row.acknowledgedAt === null) await markAcknowledged(ctx.db, briefId, ctx.clock.now());
}
