import { deliveryById, type DeliveryRow } from '../domain/deliveries.ts';
import { notFound } from '../domain/errors.ts';
import { updateProfile } from '../domain/users.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** The e-mail delivery an unsubscribe link names; anything else (unknown, a webhook's) is a 404. */
export async function unsubscribeTarget(ctx: Pick<CommandContext, 'db'>, deliveryId: string): Promise<DeliveryRow> {
  const delivery = deliveryId.length <= 64 ? await deliveryById(ctx.db, deliveryId) : null;
  if (!delivery || delivery.channel !== 'email') throw notFound('Unsubscribe link');
  return delivery;
}

/**
 * One-click unsubscribe (RFC 8058, `POST /api/unsubscribe/:deliveryId`): turns e-mail delivery off
 * for the person the e-mail was sent to. No log-in: the delivery id (22 random characters, only in
 * that e-mail) is the credential, and all it can do is stop e-mails. Again: no change. Emits
 * `user.access` (profile) so that cached identities show the change.
 */
export async function unsubscribe(ctx: CommandContext, deliveryId: string): Promise<void> {
  const delivery = await unsubscribeTarget(ctx, deliveryId);
  await inTransaction(ctx, async (tx, emit) => {
    await updateProfile(tx, delivery.userId, { deliveryEmail: false }, ctx.clock.now());
    emit({ topic: 'user.access', userId: delivery.userId, reason: 'profile' });
  });
}
