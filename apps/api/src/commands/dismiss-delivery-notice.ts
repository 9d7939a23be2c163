import { dismissNotice } from '../domain/deliveries.ts';
import { notFound } from '../domain/errors.ts';
import type { CommandContext } from './transaction.ts';

/** `POST /api/me/delivery/notices/:id/dismiss`: hides one of the caller's notices (again: no change); someone else's is a 404. */
export async function dismissDeliveryNotice(ctx: Pick<CommandContext, 'db' | 'clock'>, userId: string, noticeId: string): Promise<void> {
  if (!(await dismissNotice(ctx.db, userId, noticeId, ctx.clock.now()))) throw notFound('Notice');
}
