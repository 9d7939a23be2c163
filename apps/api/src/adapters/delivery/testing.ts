/**
 * Real servers for testing deliveries (issue 11), exported as `@handoff/api/delivery-testing` so
 * that the delivery job's tests and the cross-package tests use the same ones: an SMTP server that
 * captures messages (run in a child process) and a webhook receiver that verifies signatures.
 */
export { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from './test-servers/webhook-receiver.ts';
export { startSmtpCapture, type SmtpCapture, type SmtpCaptureMode } from './test-servers/smtp-capture.ts';
