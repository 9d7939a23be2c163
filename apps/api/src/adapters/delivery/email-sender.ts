/**
 * Delivers a morning brief by email over SMTP (issue 11), with nodemailer.
 *
 * - multipart/alternative: a plain-text part and an HTML part, so that every client shows something
 *   readable and spam filters do not frown at HTML-only mail.
 * - `Message-ID: <messageId@handoff>` comes from the delivery, not from nodemailer's random one: a
 *   retried delivery keeps its Message-ID, so a server that did receive the first attempt (and a
 *   client threading by Message-ID) can recognise the repeat.
 * - One-click unsubscribe (RFC 8058): `List-Unsubscribe: <url>` with
 *   `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. Gmail and Yahoo require both from bulk
 *   senders, and a mail client then POSTs to the URL without opening a page.
 * - Errors are classified for the delivery job: an SMTP 5xx reply is permanent (the mailbox does not
 *   exist, the message is refused); 4xx replies, refused connections, timeouts and a missing
 *   greeting are temporary and worth retrying.
 * - Timeouts are seconds, not nodemailer's minutes: a hung server must not hold the delivery job.
 */
import nodemailer from 'nodemailer';
import type { BriefMailer, SendResult } from '../../domain/delivery-ports.ts';
import { failure } from './send-result.ts';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`, as nodemailer reads it (HANDOFF_SMTP_URL). */
  smtpUrl: string;
  /** The From header, e.g. `Handoff <brief@handoff.example.com>`. */
  from: string;
  /** How long to wait for the TCP connection, 15 s by default. */
  connectionTimeoutMs?: number;
  /** How long to wait for the server's greeting once connected, 15 s by default. */
  greetingTimeoutMs?: number;
  /** How long the connection may stay silent mid-conversation, 30 s by default. */
  socketTimeoutMs?: number;
}

export interface SmtpMailer extends BriefMailer {
  /** Closes the transport's connections (call when the process stops). */
  close(): void;
}

/** Characters allowed in the local part of our Message-IDs: no spaces, brackets or `@`. */
const MESSAGE_ID_PATTERN = /^[\w.+-]{1,200}$/;

export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: options.connectionTimeoutMs ?? 15_000,
    greetingTimeout: options.greetingTimeoutMs ?? 15_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  });

  return {
    async send(message) {
      if (!MESSAGE_ID_PATTERN.test(message.messageId)) {
        return failure(true, `invalid messageId ${JSON.stringify(message.messageId.slice(0, 50))}`);
      }
      if (!isWebUrl(message.listUnsubscribeUrl)) {
        return failure(true, 'listUnsubscribeUrl must be an https: (or, in development, http:) URL');
      }
      try {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.messageId}@handoff>`,
          // nodemailer writes `List-Unsubscribe: <url>`, stripping anything that could break out
          // of the angle brackets or the header line.
          list: { unsubscribe: message.listUnsubscribeUrl },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
        return { ok: true };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * RFC 8058 wants an HTTPS URI for one-click unsubscribe; http: is let through for development
 * installations, whose base URL is often plain http. Anything else (mailto:, javascript:) is a bug.
 */
function isWebUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Nodemailer's errors carry `code` (ECONNECTION, ETIMEDOUT, EENVELOPE, …) and the SMTP reply. */
interface SmtpError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

function classifySmtpError(error: unknown): SendResult {
  const smtpError = (typeof error === 'object' && error !== null ? error : {}) as SmtpError;
  const description = [smtpError.code, smtpError.response ?? smtpError.message ?? String(error)]
    .filter((part) => part !== undefined && part !== '')
    .join(': ');
  if (smtpError.responseCode !== undefined) return failure(smtpError.responseCode >= 500, description);
  // Without a reply code: a message nodemailer could not even build or address will not work on
  // a second try; anything else (connection, timeout, greeting, TLS, DNS) may.
  const permanent = smtpError.code === 'EENVELOPE' || smtpError.code === 'EMESSAGE';
  return failure(permanent, description);
}
