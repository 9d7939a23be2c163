import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DateTimeInputSchema,
  DateTimeSchema,
  IdSchema,
  PaginationQuerySchema,
  TimeZoneSchema,
  isTimeZone,
  singleLineText,
  storedText,
  validationErrorBody,
  ErrorSchema,
} from './common.ts';

describe('TimeZoneSchema', () => {
  it.each(['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])(
    'accepts %s',
    (tz) => {
      expect(TimeZoneSchema.parse(tz)).toBe(tz);
    },
  );

  it.each(['Mars/Olympus', '', ' ', 'Europe/', '/Berlin', '+01:00', 'Europe/Berlin\u0000', '../../etc/passwd', 'x'.repeat(200), 'Local'])(
    'rejects %j',
    (tz) => {
      expect(TimeZoneSchema.safeParse(tz).success).toBe(false);
    },
  );

  it('rejects non-strings', () => {
    for (const value of [null, undefined, 1, {}, ['UTC']]) expect(TimeZoneSchema.safeParse(value).success).toBe(false);
  });

  it('trims and fixes case without swapping aliases', () => {
    expect(TimeZoneSchema.parse(' europe/berlin ')).toBe('Europe/Berlin');
    expect(TimeZoneSchema.parse('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('isTimeZone agrees', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('IdSchema', () => {
  it('accepts opaque URL-safe ids', () => {
    for (const id of ['abc', '01J9ZK3Q4R5S6T7V8W9X0Y1Z2A', 'V1StGXR8_Z5jdHi6B-myT', '550e8400-e29b-41d4-a716-446655440000']) {
      expect(IdSchema.parse(id)).toBe(id);
    }
  });
  it('rejects empty, long and hostile ids', () => {
    for (const id of ['', 'a'.repeat(65), '../x', 'a b', 'a/b', "1' OR '1'='1", 'a\u0000', 'é', 42, null]) {
      expect(IdSchema.safeParse(id).success).toBe(false);
    }
  });
});

describe('date-times', () => {
  it('DateTimeSchema takes UTC ISO strings only', () => {
    expect(DateTimeSchema.safeParse('2025-01-31T09:30:00.000Z').success).toBe(true);
    expect(DateTimeSchema.safeParse('2025-01-31T09:30:00Z').success).toBe(true);
    for (const bad of ['2025-01-31', '2025-02-30T00:00:00Z', 'yesterday', '2025-01-31T09:30:00', 1738315800000]) {
      expect(DateTimeSchema.safeParse(bad).success).toBe(false);
    }
  });
  it('DateTimeInputSchema accepts offsets and normalizes to UTC', () => {
    expect(DateTimeInputSchema.parse('2025-01-31T10:30:00+01:00')).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTimeInputSchema.parse('2025-01-31T09:30:00Z')).toBe('2025-01-31T09:30:00.000Z');
    expect(DateTimeInputSchema.safeParse('2025-01-31T09:30:00').success).toBe(false);
    expect(DateTimeInputSchema.safeParse('not a date').success).toBe(false);
  });
});

describe('PaginationQuerySchema', () => {
  it('defaults and coerces limit', () => {
    expect(PaginationQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(PaginationQuerySchema.parse({ limit: '200', cursor: 'abc' })).toEqual({ limit: 200, cursor: 'abc' });
  });
  it('rejects out-of-range or non-integer limits and empty cursors', () => {
    for (const limit of ['0', '201', '-1', '1.5', 'abc', '']) {
      expect(PaginationQuerySchema.safeParse({ limit }).success, limit).toBe(false);
    }
    expect(PaginationQuerySchema.safeParse({ cursor: '' }).success).toBe(false);
  });
});

describe('text rules', () => {
  const label = singleLineText({ max: 10 });
  const text = storedText({ max: 20 });
  it('labels are trimmed and reject control and bidi-override characters', () => {
    expect(label.parse('  Ada  ')).toBe('Ada');
    expect(label.parse('👩‍💻 dev')).toBe('👩‍💻 dev');
    for (const bad of ['', '   ', 'a\u0000b', 'a\nb', 'a\tb', 'a\u202Eb', 'a\u2028b', 'a\u007Fb', '\uD800x', 'x'.repeat(11)]) {
      expect(label.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
  it('stored text keeps newlines but rejects NUL and lone surrogates', () => {
    expect(text.parse('a\n\tb\r\n')).toBe('a\n\tb\r\n');
    expect(text.parse('emoji 😀')).toBe('emoji 😀');
    for (const bad of ['a\u0000', '\uDC00', 'a\uD83D', 'x'.repeat(21)]) expect(text.safeParse(bad).success).toBe(false);
  });
});

describe('validationErrorBody', () => {
  it('names the fields in details and fits ErrorSchema', () => {
    const schema = z.object({ title: z.string().min(1), decision: z.object({ owners: z.array(z.string()) }) });
    const result = schema.safeParse({ title: '', decision: { owners: [1] } });
    expect(result.success).toBe(false);
    const body = validationErrorBody(result.error!, 'json');
    expect(ErrorSchema.parse(body)).toEqual(body);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/^Invalid body: title: /);
    expect(body.error.details).toMatchObject({
      location: 'json',
      fields: [
        { path: 'title', code: 'too_small' },
        { path: 'decision.owners.0', code: 'invalid_type' },
      ],
    });
  });
});
