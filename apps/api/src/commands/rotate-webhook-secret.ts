import { newWebhookSecret } from '../domain/deliveries.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { updateProfile, userById } from '../domain/users.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * `POST /api/me/delivery/webhook-secret`: a new signing secret for the caller's webhook (the old
 * one stops working at once); 409 `no_webhook` when none is set. Emits `user.access` (profile).
 */
export async function rotateWebhookSecret(ctx: CommandContext, userId: string): Promise<string> {
  return inTransaction(ctx, async (tx, emit) => {
    const reader = await userById(tx, userId);
    if (!reader) throw notFound('User');
    if (!reader.webhookUrl) throw conflict('Set a webhook URL first.', undefined, 'no_webhook');
    const webhookSecret = newWebhookSecret();
    await updateProfile(tx, userId, { webhookSecret }, ctx.clock.now());
    emit({ topic: 'user.access', userId, reason: 'profile' });
    return webhookSecret;
  });
}
