import type { UpdateMeRequest } from '@handoff/shared/schemas';
import { newWebhookSecret } from '../domain/deliveries.ts';
import type { WebhookUrlChecker } from '../domain/delivery-ports.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import type { UserRow } from '../domain/model.ts';
import { updateProfile as storeProfile, userById, type ProfileChange } from '../domain/users.ts';
import { minutesOf } from '../domain/working-hours.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

export interface UpdateProfileContext extends CommandContext {
  /** The SSRF guard (HANDOFF_WEBHOOK_ALLOW_PRIVATE decides whether private addresses pass). */
  checkWebhookUrl: WebhookUrlChecker;
}

/** The request's fields as they are stored (webhook URL and secret are settled separately). */
function storedChange(body: UpdateMeRequest): ProfileChange {
  return {
    name: body.name,
    timezone: body.timezone,
    briefHour: body.briefHour,
    workDays: body.workDays === undefined ? undefined : JSON.stringify(body.workDays),
    workStart: body.workStart,
    workEnd: body.workEnd,
    awayUntil: body.awayUntil === undefined ? undefined : body.awayUntil === null ? null : Date.parse(body.awayUntil),
    deliveryEmail: body.delivery?.email,
  };
}

const invalidHours = (message: string) =>
  new DomainError('invalid', 'validation_failed', message, { location: 'json', fields: [{ path: 'workEnd', code: 'custom', message }] });

/**
 * `PATCH /api/me`: changes the caller's name, time zone, brief hour, working days and hours, leave
 * and delivery channels (only what is given). Working hours must start before they end, counting
 * the stored value of the one not given (400). A webhook URL must pass the SSRF guard (422
 * `webhook_url_refused` with the reason; `HANDOFF_WEBHOOK_ALLOW_PRIVATE=1` admits private
 * addresses); a new or changed URL gets a new signing secret, null (or "") turns the webhook off.
 * Emits `user.access` (reason `profile`): the cached identity of their credentials carries the
 * profile, so caches must drop it.
 */
export async function updateProfile(ctx: UpdateProfileContext, userId: string, body: UpdateMeRequest): Promise<UserRow> {
  const change = storedChange(body);
  const url = body.delivery?.webhookUrl;
  if (typeof url === 'string' && url !== '') {
    // Resolved before the transaction (DNS may take a while); the sender checks again on every attempt.
    const check = await ctx.checkWebhookUrl(url);
    if (!check.ok) {
      throw new DomainError('unprocessable', 'webhook_url_refused', `The webhook URL was refused: ${check.reason}.`, { field: 'delivery.webhookUrl', reason: check.reason });
    }
  }
  return inTransaction(ctx, async (tx, emit) => {
    const current = await userById(tx, userId);
    if (!current) throw notFound('User');
    const start = minutesOf(change.workStart ?? current.workStart);
    const end = minutesOf(change.workEnd ?? current.workEnd);
    if (start === null || end === null || start >= end) {
      throw invalidHours(`Working hours must start before they end (${change.workStart ?? current.workStart} to ${change.workEnd ?? current.workEnd}).`);
    }
    if (url !== undefined) {
      const next = url === '' ? null : url;
      change.webhookUrl = next;
      if (next === null) change.webhookSecret = null;
      else if (next !== current.webhookUrl || !current.webhookSecret) change.webhookSecret = newWebhookSecret();
    }
    const updated = await storeProfile(tx, userId, change, ctx.clock.now());
    if (!updated) throw notFound('User');
    emit({ topic: 'user.access', userId, reason: 'profile' });
    return updated;
  });
}
