/*
 * The ports of brief delivery (issue 11): what the delivery command needs from the outside world.
 * The adapters in adapters/delivery/ implement them (nodemailer SMTP, signed webhook POSTs, the
 * Slack-compatible chat payload, the SSRF guard); server.ts wires them.
 */

/** What a transport answers: permanent failures are not retried, temporary ones are (with backoff). */
export type SendResult = { ok: true } | { ok: false; permanent: boolean; error: string };

export interface BriefEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per delivery (the same on every attempt); becomes `<messageId@handoff>`. */
  messageId: string;
  /** The one-click unsubscribe URL (https), answered by POST `List-Unsubscribe=One-Click` (RFC 8058). */
  listUnsubscribeUrl: string;
}

export interface BriefMailer {
  send(message: BriefEmail): Promise<SendResult>;
}

export interface WebhookPost {
  url: string;
  secret: string;
  /** Sent as `JSON.stringify(body)`. */
  body: unknown;
  /** The same for every attempt of one delivery (the delivery id), so that a receiver can drop repeats. */
  idempotencyKey: string;
  /** Unix seconds of this attempt (real time: receivers refuse stale timestamps). */
  timestamp: number;
}

export interface WebhookPoster {
  send(delivery: WebhookPost): Promise<SendResult>;
}

/** One change of a brief as a chat message shows it. */
export interface ChatBriefItem {
  title: string;
  url: string;
  /** Why the reader sees it, in words: "you follow this", "mentions you". */
  reasons: string[];
  summary: string;
}

/** A brief as a chat message is made of. */
export interface ChatBrief {
  readerName: string;
  headline: string;
  /** The whole brief on the web. */
  briefUrl: string;
  items: ChatBriefItem[];
  /** Items the brief itself left out (beyond its own limit); shown as "and N more". */
  omitted: number;
}

/** How a brief leaves the server: e-mail (null when SMTP_URL is unset), webhooks, and the chat message format. */
export interface DeliveryTransports {
  email: BriefMailer | null;
  webhook: WebhookPoster;
  chatPayload: (brief: ChatBrief) => unknown;
}

/** Checks a webhook URL a person sets (the SSRF guard): ok, or refused with the reason. */
export type WebhookUrlChecker = (url: string) => Promise<{ ok: true } | { ok: false; reason: string }>;
