import { createRoute } from '@hono/zod-openapi';
import { DeliveryStatusResponseSchema, ErrorSchema, IdParamsSchema, WebhookSecretResponseSchema } from '@handoff/shared/schemas';
import { dismissDeliveryNotice } from '../commands/dismiss-delivery-notice.ts';
import { getDeliveryStatus } from '../commands/get-delivery-status.ts';
import { rotateWebhookSecret } from '../commands/rotate-webhook-secret.ts';
import { unsubscribe, unsubscribeTarget } from '../commands/unsubscribe.ts';
import { badRequest, notFound } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentDeliveryStatus } from '../presenters/delivery.ts';
import { errorResponses, jsonContent, noContent, router } from './openapi.ts';

const tags = ['delivery'];

const getStatus = createRoute({
  method: 'get',
  path: '/api/me/delivery',
  tags,
  summary: 'When and how your next brief arrives, notices about your delivery channels, and your latest deliveries.',
  responses: { 200: jsonContent(DeliveryStatusResponseSchema, 'The delivery status.'), 401: errorResponses[401] },
});

const dismissNotice = createRoute({
  method: 'post',
  path: '/api/me/delivery/notices/{id}/dismiss',
  tags,
  summary: 'Dismiss one of your delivery notices.',
  request: { params: IdParamsSchema },
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});

const rotateSecret = createRoute({
  method: 'post',
  path: '/api/me/delivery/webhook-secret',
  tags,
  summary: 'A new signing secret for your webhook (X-Handoff-Signature); the old one stops working at once.',
  responses: {
    200: jsonContent(WebhookSecretResponseSchema, 'The new secret.'),
    401: errorResponses[401],
    409: jsonContent(ErrorSchema, 'No webhook is set (`no_webhook`).'),
  },
});

/** The caller's delivery status and settings actions (signed in). */
export const deliveryRoutes = router()
  .openapi(getStatus, async (c) => {
    const { user } = requireAuth(c);
    return c.json(presentDeliveryStatus(await getDeliveryStatus(c.get('deps'), user.id)), 200);
  })
  .openapi(dismissNotice, async (c) => {
    const { user } = requireAuth(c);
    await dismissDeliveryNotice(c.get('deps'), user.id, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(rotateSecret, async (c) => {
    const { user } = requireAuth(c);
    return c.json({ webhookSecret: await rotateWebhookSecret(c.get('deps'), user.id) }, 200);
  });

/*
 * One-click unsubscribe (RFC 8058) from the link and `List-Unsubscribe` header of a brief e-mail.
 * Public (no log-in, no CSRF token: a mail client POSTs without either), so app.ts mounts these
 * before authentication. GET only shows a page with a confirm button — mail scanners fetch every
 * link of an e-mail, and must not unsubscribe anybody; POST with `List-Unsubscribe=One-Click`
 * (form-encoded or multipart) unsubscribes.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const PAGE_STYLE = {
  body: "margin:0;padding:32px 12px;background:#f5f5f4;color:#1c1917;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.55",
  card: 'max-width:480px;margin:0 auto;background:#fff;border:1px solid #e7e5e4;border-radius:8px;padding:24px 28px',
  button: 'font:inherit;padding:8px 16px;border:1px solid #1d4ed8;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer',
};

function confirmPage(id: string): string {
  const action = `/api/unsubscribe/${encodeURIComponent(id)}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">',
    '<title>Unsubscribe from Handoff brief e-mails</title></head>',
    `<body style="${PAGE_STYLE.body}"><div style="${PAGE_STYLE.card}">`,
    '<h1 style="font-size:20px;margin:0 0 8px">Stop the brief e-mails?</h1>',
    '<p style="margin:0 0 16px">Your morning brief will no longer be e-mailed to you. It stays in the app, and you can turn e-mail on again in Settings.</p>',
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">`,
    `<button type="submit" style="${PAGE_STYLE.button}">Unsubscribe</button></form>`,
    '</div></body></html>',
  ].join('\n');
}

/** The delivery id of the path, or a 404 (in the error shape) for anything that cannot be one. */
function pathId(raw: string): string {
  if (!ID_PATTERN.test(raw)) throw notFound('Unsubscribe link');
  return raw;
}

export const unsubscribeRoutes = router();

unsubscribeRoutes.get('/api/unsubscribe/:id', async (c) => {
  const id = pathId(c.req.param('id'));
  await unsubscribeTarget(c.get('deps'), id);
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(confirmPage(id));
});

unsubscribeRoutes.post('/api/unsubscribe/:id', async (c) => {
  const id = pathId(c.req.param('id'));
  const deps = c.get('deps');
  await unsubscribeTarget(deps, id);
  const type = c.req.header('content-type') ?? '';
  let value: unknown;
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    try {
      value = (await c.req.parseBody())['List-Unsubscribe'];
    } catch {
      value = undefined;
    }
  }
  if (value !== 'One-Click') throw badRequest('Send the form field List-Unsubscribe=One-Click to unsubscribe.');
  await unsubscribe(deps, id);
  c.header('Cache-Control', 'no-store');
  return c.text('You are unsubscribed: your brief will no longer be e-mailed to you. You can turn e-mail on again in Settings.', 200);
});

const unsubscribeBody = {
  content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' as const, properties: { 'List-Unsubscribe': { type: 'string' as const, enum: ['One-Click'] } }, required: ['List-Unsubscribe'] } } },
  required: true,
};
unsubscribeRoutes.openAPIRegistry.registerPath({
  method: 'get',
  path: '/api/unsubscribe/{id}',
  tags,
  summary: 'A page asking to confirm unsubscribing from brief e-mails (the id is an e-mail delivery\'s; public). Never unsubscribes by itself.',
  request: { params: IdParamsSchema },
  responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, 404: errorResponses[404] },
});
unsubscribeRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/api/unsubscribe/{id}',
  tags,
  summary: 'One-click unsubscribe (RFC 8058): turns e-mail delivery off for the person the e-mail went to. Public; no CSRF token.',
  request: { params: IdParamsSchema, body: unsubscribeBody },
  responses: { 200: { description: 'Unsubscribed (text).', content: { 'text/plain': { schema: { type: 'string' } } } }, 400: errorResponses[400], 404: errorResponses[404] },
});
