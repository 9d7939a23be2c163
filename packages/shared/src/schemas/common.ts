import { z } from 'zod';

/*
 * Building blocks shared by every resource schema.
 *
 * OpenAPI: every exported object schema carries `.meta({ id })`. zod v4 keeps that in its global
 * registry and @hono/zod-openapi (via @asteasolutions/zod-to-openapi 9) turns it into a
 * `components/schemas/<id>` entry referenced by `$ref`; no `extendZodWithOpenApi` is needed.
 * Query and path-parameter objects are inlined as `parameters` whatever their id.
 */

// ---------------------------------------------------------------------------------------------
// Text rules

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0/C1 controls, DEL, line/paragraph separators and the bidi overrides/isolates used to spoof text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are rejected
const CONTROL_CHARS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** True when a string can be stored: no NUL byte and no lone UTF-16 surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** True when a one-line label (name, title) holds no control or bidi-override characters. */
export function isSingleLineText(value: string): boolean {
  return !CONTROL_CHARS.test(value) && !LONE_SURROGATE.test(value);
}

/** Free text that is stored as-is (Markdown, messages): any character but NUL and lone surrogates. */
export function storedText(options: { max: number; min?: number }) {
  return z
    .string()
    .min(options.min ?? 0)
    .max(options.max)
    .refine(isStorableText, { message: 'Must not contain NUL bytes or invalid Unicode' });
}

/** A trimmed one-line label: names, titles. Rejects control characters (and so NUL). */
export function singleLineText(options: { max: number; min?: number }) {
  return z
    .string()
    .trim()
    .min(options.min ?? 1)
    .max(options.max)
    .refine(isSingleLineText, { message: 'Must not contain control characters' });
}

// ---------------------------------------------------------------------------------------------
// Scalars

/** IDs are opaque; this only keeps them to a URL- and log-safe alphabet. */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'Invalid id' })
  .meta({ description: 'An opaque identifier.' });
export type Id = z.infer<typeof IdSchema>;

/** An ISO-8601 date-time in UTC (`...Z`), as the API writes them. */
export const DateTimeSchema = z.iso.datetime().meta({
  description: 'ISO-8601 date-time, in UTC.',
  example: '2025-01-31T09:30:00.000Z',
});
export type DateTime = z.infer<typeof DateTimeSchema>;

/** An ISO-8601 date-time as clients may send it (any offset); normalized to UTC `toISOString()`. */
export const DateTimeInputSchema = z.iso
  .datetime({ offset: true })
  .overwrite((value) => {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  })
  .meta({ description: 'ISO-8601 date-time with Z or an offset; stored in UTC.', example: '2025-01-31T10:30:00+01:00' });

const TIME_ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Whether the runtime's Intl (ICU) knows this IANA time zone name. */
export function isTimeZone(value: string): boolean {
  if (value.length > 64 || !TIME_ZONE_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Fixes the case of a valid zone ("europe/berlin" → "Europe/Berlin") without swapping aliases. */
function canonicalTimeZoneCase(value: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
  } catch {
    return value;
  }
}

/** An IANA time zone name ("Europe/Berlin", "UTC"), checked against Intl.DateTimeFormat. */
export const TimeZoneSchema = z
  .string()
  .trim()
  .refine(isTimeZone, { message: 'Unknown IANA time zone', abort: true })
  .overwrite(canonicalTimeZoneCase)
  .meta({ id: 'TimeZone', description: 'An IANA time zone name.', example: 'Europe/Berlin' });
export type TimeZone = z.infer<typeof TimeZoneSchema>;

// ---------------------------------------------------------------------------------------------
// Errors

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Machine-readable code, e.g. "validation_failed", "not_found".' }),
      message: z.string().meta({ description: 'A human sentence.' }),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorSchema>;

export const ValidationIssueSchema = z
  .object({
    path: z.string().meta({ description: 'Dotted path of the field ("decision.owners.0"); "" for the whole input.' }),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ValidationIssue' });
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/** The `details` of a 400 validation error. */
export const ValidationDetailsSchema = z
  .object({
    location: z
      .enum(['json', 'form', 'query', 'param', 'header', 'cookie'])
      .optional()
      .meta({ description: 'Which part of the request failed (Hono validation target).' }),
    fields: z.array(ValidationIssueSchema),
  })
  .meta({ id: 'ValidationDetails' });
export type ValidationDetails = z.infer<typeof ValidationDetailsSchema>;

/** Turns a ZodError into the API's 400 body (`details` names the fields). */
export function validationErrorBody(error: z.core.$ZodError, location?: ValidationDetails['location']): ErrorBody {
  const fields = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const first = fields[0];
  const part = location === undefined ? 'request' : location === 'json' || location === 'form' ? 'body' : location;
  const message = first ? `Invalid ${part}: ${first.path ? `${first.path}: ` : ''}${first.message}` : `Invalid ${part}`;
  const details: ValidationDetails = location ? { location, fields } : { fields };
  return { error: { code: 'validation_failed', message, details } };
}

// ---------------------------------------------------------------------------------------------
// Lists and parameters

/** `?limit=` (1..200, default 50) and the opaque `?cursor=` of every list. */
export const PaginationQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(512).optional(),
  })
  .meta({ id: 'PaginationQuery' });
export type PaginationQuery = z.infer<typeof PaginationQuerySchema>;

/** `nextCursor` of a list answer: null on the last page. */
export const NextCursorSchema = z.string().nullable().meta({ description: 'Pass as ?cursor= for the next page; null at the end.' });

/** `/:id` path parameters. */
export const IdParamsSchema = z.object({ id: IdSchema }).meta({ id: 'IdParams' });
export type IdParams = z.infer<typeof IdParamsSchema>;

/** A query flag: "1", "true", "yes", "on" / "0", "false", "no", "off". */
export function queryFlag() {
  return z.stringbool().meta({ type: 'boolean' });
}
