import { ownBrief, type BriefPageRenderer, type ShownBrief } from '../domain/brief-store.ts';
import {
  backoffMs,
  disableChannel,
  markFailed,
  markRetry,
  markSent,
  MAX_ATTEMPTS,
  WEBHOOK_MAX_FAILURES,
  type ClaimedDelivery,
  type DeliveryRow,
} from '../domain/deliveries.ts';
import type { BriefEmail, DeliveryTransports, SendResult, WebhookPost } from '../domain/delivery-ports.ts';
import type { UserRow } from '../domain/model.ts';
import type { BriefReason, BriefWriter } from '../domain/ports.ts';
import { showAsOfNow } from './get-brief.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface DeliverContext extends CommandContext {
  extractiveBriefWriter: BriefWriter;
  renderBriefPage: BriefPageRenderer;
  /** Absolute base of every link (HANDOFF_PUBLIC_URL, else http://localhost:<port>), without a trailing slash. */
  publicBase: string;
  transports: DeliveryTransports;
  /** Real wall-clock seconds for the webhook signature's timestamp (receivers refuse stale ones). */
  wallClockMs?: () => number;
}


/** The one-click unsubscribe URL of an e-mail delivery (RFC 8058). */
export const unsubscribeUrl = (base: string, deliveryId: string) => `${base}/api/unsubscribe/${encodeURIComponent(deliveryId)}`;

/** The base URL of links in deliveries: the public URL, else the local server. */
export function publicBaseOf(config: { publicUrl: string | undefined; port: number }): string {
  let base = config.publicUrl ?? `http://localhost:${config.port}`;
  while (base.endsWith('/')) base = base.slice(0, -1);
  return base;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Your Handoff brief — 7 changes, 2 decisions": counts of what the brief tells now (items and the ones left out). */
export function briefHeadline(brief: Pick<ShownBrief, 'items' | 'omitted'>): string {
  const changes = brief.items.length + brief.omitted;
  if (!changes) return 'Your Handoff brief — nothing new for you';
  const decisions = brief.items.filter((i) => i.kind === 'decision').length;
  return `Your Handoff brief — ${plural(changes, 'change', 'changes')}${decisions ? `, ${plural(decisions, 'decision', 'decisions')}` : ''}`;
}

const REASON_WORDS: Record<BriefReason, string> = {
  handoff: 'handed over to you',
  decision: 'a decision you follow',
  asked: 'asks you',
  thread: 'a thread you are in',
  mention: 'mentions you',
  owner: 'you own it',
  watch: 'you watch it',
  linked: 'linked with your work',
  new: 'new where you work',
};

/** A Handoff path made absolute on `base` (other links are left as they are). */
const absolute = (base: string, url: string) => (url.startsWith('/') && !url.startsWith('//') ? `${base}${url}` : url);

/** Markdown links to Handoff paths `](/…)` made absolute, for the plain-text part. */
const absoluteLinks = (base: string, markdown: string) => markdown.replace(/\]\((\/(?!\/))/g, `](${base}/`);

function emailOf(ctx: DeliverContext, reader: UserRow, delivery: DeliveryRow, shown: ShownBrief): BriefEmail {
  const base = ctx.publicBase;
  const unsubscribe = unsubscribeUrl(base, delivery.id);
  const html = ctx.renderBriefPage({
    markdown: shown.markdown,
    readerName: reader.name,
    timezone: reader.timezone,
    until: shown.row.until,
    readingSeconds: shown.readingSeconds,
    writer: shown.writer,
    publicUrl: base,
  });
  const footer =
    '<p style="max-width:640px;margin:16px auto 0;color:#78716c;font-size:12px;text-align:center">' +
    'You get this e-mail because you turned on e-mail delivery of your brief. ' +
    `<a href="${escapeHtml(unsubscribe)}" style="color:#57534e">Unsubscribe</a> · ` +
    `<a href="${escapeHtml(`${base}/settings`)}" style="color:#57534e">Delivery settings</a></p>`;
  const withFooter = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : `${html}${footer}`;
  const text = [
    absoluteLinks(base, shown.markdown).trimEnd(),
    '',
    '--',
    `Read it in Handoff: ${base}/catch-up`,
    `Unsubscribe from these e-mails: ${unsubscribe}`,
    '',
  ].join('\n');
  return { to: delivery.target, subject: briefHeadline(shown), text, html: withFooter, messageId: delivery.id, listUnsubscribeUrl: unsubscribe };
}

function webhookOf(ctx: DeliverContext, reader: UserRow, delivery: DeliveryRow, shown: ShownBrief, url: string, secret: string): WebhookPost {
  const base = ctx.publicBase;
  const body = ctx.transports.chatPayload({
    readerName: reader.name,
    headline: briefHeadline(shown),
    briefUrl: `${base}/catch-up`,
    items: shown.items.map((i) => ({ title: i.title, url: absolute(base, i.diffUrl), reasons: i.reasons.map((r) => REASON_WORDS[r] ?? r), summary: i.summary })),
    omitted: shown.omitted,
  });
  return { url, secret, body, idempotencyKey: delivery.id, timestamp: Math.floor((ctx.wallClockMs ?? Date.now)() / 1000) };
}

/** What became of one attempt, to be recorded with the others of its batch (`recordDeliveries`). */
export type DeliveryOutcome =
  | { delivery: DeliveryRow; reader: UserRow; kind: 'sent' }
  | { delivery: DeliveryRow; reader: UserRow; kind: 'retry'; error: string; nextAttemptAt: number }
  | { delivery: DeliveryRow; reader: UserRow; kind: 'failed'; error: string; turnOff?: { target: string; message: string } };

/**
 * Sends one claimed delivery at `now`: the brief as the reader may see it NOW (rechecked against
 * her access, like any shown brief), by e-mail (multipart text + the brief page, `Message-ID
 * <delivery id@handoff>`, one-click unsubscribe) or to her webhook as it is set now (chat payload,
 * signed, `Idempotency-Key: <delivery id>`). Writes nothing: the outcome is recorded with its
 * batch's by `recordDeliveries`.
 *
 * - sent → `sent`;
 * - a permanent failure → `failed`, and the channel is turned off with a notice in the app (an
 *   e-mail address the server refuses; a webhook that answers 4xx, redirects or is refused);
 * - a temporary failure → tried again after 1, 2, 4 … minutes (`backoffMs`) up to `MAX_ATTEMPTS`
 *   attempts; a webhook is turned off with a notice after `WEBHOOK_MAX_FAILURES` failed attempts
 *   in a row.
 */
export async function sendDelivery(ctx: DeliverContext, claimed: ClaimedDelivery, now: number): Promise<DeliveryOutcome> {
  const { delivery, reader } = claimed;
  const failed = (error: string, turnOff?: { target: string; message: string }): DeliveryOutcome => ({ delivery, reader, kind: 'failed', error, ...(turnOff ? { turnOff } : {}) });
  const row = await ownBrief(ctx.db, reader.id, delivery.briefId);
  if (!row) return failed('the brief no longer exists');
  const shown = await showAsOfNow(ctx, reader, row);
  let result: SendResult;
  if (delivery.channel === 'email') {
    if (!ctx.transports.email) return failed('e-mail delivery is not configured on this server (SMTP_URL)');
    result = await ctx.transports.email.send(emailOf(ctx, reader, delivery, shown));
  } else {
    if (!reader.webhookUrl || !reader.webhookSecret) return failed('the webhook was turned off before it was sent');
    // To the webhook as it is set now (a URL changed since the brief was built gets it).
    result = await ctx.transports.webhook.send(webhookOf(ctx, reader, delivery, shown, reader.webhookUrl, reader.webhookSecret));
  }

  if (result.ok) return { delivery, reader, kind: 'sent' };
  // The setting that failed: the address it went to, the webhook URL it was posted to.
  const target = delivery.channel === 'webhook' ? reader.webhookUrl! : delivery.target;
  if (result.permanent) {
    const message =
      delivery.channel === 'email'
        ? `E-mail delivery was turned off: the mail server refused ${delivery.target} (${result.error}). Check the address, then turn it on again in Settings.`
        : `The chat webhook was turned off: it refused the brief (${result.error}). Set it again in Settings.`;
    return failed(result.error, { target, message });
  }
  if (delivery.channel === 'webhook' && delivery.attempts >= WEBHOOK_MAX_FAILURES) {
    return failed(result.error, {
      target,
      message: `The chat webhook was turned off after ${delivery.attempts} failed attempts in a row (last: ${result.error}). Set it again in Settings.`,
    });
  }
  if (delivery.attempts >= MAX_ATTEMPTS) return failed(`gave up after ${delivery.attempts} attempts: ${result.error}`);
  return { delivery, reader, kind: 'retry', error: result.error, nextAttemptAt: now + backoffMs(delivery.id, delivery.attempts) };
}

/**
 * Records the outcomes of a batch in one transaction (only where the run still holds the lease):
 * sent, retry, failed; a channel to turn off is turned off (if it is still the setting that
 * failed) with a notice, and cached identities are told (`user.access`).
 */
export async function recordDeliveries(ctx: CommandContext, outcomes: readonly DeliveryOutcome[], now: number): Promise<void> {
  if (!outcomes.length) return;
  await inTransaction(ctx, async (tx, emit) => {
    for (const o of outcomes) {
      if (o.kind === 'sent') await markSent(tx, o.delivery, now);
      else if (o.kind === 'retry') await markRetry(tx, o.delivery, o.error, o.nextAttemptAt, now);
      else {
        await markFailed(tx, o.delivery, o.turnOff?.message ?? o.error, now);
        if (o.turnOff && (await disableChannel(tx, o.reader, o.delivery.channel, o.turnOff.target, o.turnOff.message, now))) {
          emit({ topic: 'user.access', userId: o.reader.id, reason: 'profile' });
        }
      }
    }
  });
}

/** Sends one claimed delivery and records its outcome at once (tests, single deliveries). */
export async function deliverBrief(ctx: DeliverContext, claimed: ClaimedDelivery, now: number): Promise<DeliveryOutcome['kind']> {
  const outcome = await sendDelivery(ctx, claimed, now);
  await recordDeliveries(ctx, [outcome], now);
  return outcome.kind;
}
