import type { SendResult } from '../../domain/delivery-ports.ts';

/*
 * What every delivery transport (email, webhook) answers (`SendResult`, a port of the domain), so
 * that the delivery job decides about retries in one place: `permanent` failures (a rejected
 * mailbox, a 404, a refused URL) are not retried, temporary ones (a timeout, a 451, a 503, a
 * refused connection) are retried with backoff.
 */

/** The longest error text kept in a result; errors are stored with the delivery and shown to admins. */
const MAX_ERROR_LENGTH = 500;

export function failure(permanent: boolean, error: string): SendResult {
  const text = error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error;
  return { ok: false, permanent, error: text };
}
