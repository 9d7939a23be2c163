import { z } from 'zod';
import { DateTimeSchema, IdSchema, NextCursorSchema, PaginationQuerySchema, storedText } from './common.ts';
import { DocSummarySchema, HandoffRecipientSchema } from './docs.ts';

/** Longest stored text of one ask (an item of "Blocked on" or "Decisions needed"). */
export const HANDOFF_ASK_TEXT_MAX = 500;

/** Which section of a handoff note asks: "Blocked on" (`blocked`) or "Decisions needed" (`decision`). */
export const HandoffAskSectionSchema = z.enum(['blocked', 'decision']);
export type HandoffAskSection = z.infer<typeof HandoffAskSectionSchema>;

/** `POST /api/docs/:id/handoff-asks/done`: the asked person marks one item answered. */
export const HandoffAskDoneRequestSchema = z
  .strictObject({ section: HandoffAskSectionSchema, text: storedText({ min: 1, max: HANDOFF_ASK_TEXT_MAX }) })
  .meta({ id: 'HandoffAskDoneRequest' });
export type HandoffAskDoneRequest = z.infer<typeof HandoffAskDoneRequestSchema>;

/** An unanswered ask of a handoff note, in `GET /api/me/waiting`. */
export const WaitingHandoffAskSchema = z
  .object({
    docId: IdSchema,
    title: z.string(),
    section: HandoffAskSectionSchema,
    text: z.string(),
    askedBy: IdSchema,
    askedAt: DateTimeSchema,
  })
  .meta({ id: 'WaitingHandoffAsk' });
export type WaitingHandoffAsk = z.infer<typeof WaitingHandoffAskSchema>;

/** A calendar date, `YYYY-MM-DD` (in the caller's time zone where it bounds a range). */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), { message: 'Not a calendar date' })
  .meta({ description: 'A date, YYYY-MM-DD.', example: '2026-01-14' });

/** `GET /api/handoffs`: `from`/`to` are dates in the caller's time zone, both included. */
export const HandoffLogQuerySchema = PaginationQuerySchema.extend({
  spaceId: IdSchema.optional(),
  from: LocalDateSchema.optional(),
  to: LocalDateSchema.optional(),
}).meta({ id: 'HandoffLogQuery' });
export type HandoffLogQuery = z.infer<typeof HandoffLogQuerySchema>;

export const HandoffCountsSchema = z
  .object({
    done: z.number().int().nonnegative(),
    next: z.number().int().nonnegative(),
    blocked: z.number().int().nonnegative(),
    decisions: z.number().int().nonnegative(),
  })
  .meta({ id: 'HandoffCounts', description: 'Non-empty items in each section of the note.' });

export const HandoffLogEntrySchema = z
  .object({
    doc: DocSummarySchema,
    author: z.object({ id: IdSchema, name: z.string() }),
    to: z.array(HandoffRecipientSchema),
    counts: HandoffCountsSchema,
  })
  .meta({ id: 'HandoffLogEntry' });
export type HandoffLogEntry = z.infer<typeof HandoffLogEntrySchema>;

export const HandoffDaySchema = z
  .object({ date: z.string().meta({ description: 'YYYY-MM-DD in the caller’s time zone.' }), handoffs: z.array(HandoffLogEntrySchema) })
  .meta({ id: 'HandoffDay' });
export type HandoffDay = z.infer<typeof HandoffDaySchema>;

/** Handoff notes the caller can read, newest first, grouped by the day they were written. */
export const HandoffLogResponseSchema = z
  .object({ days: z.array(HandoffDaySchema), nextCursor: NextCursorSchema })
  .meta({ id: 'HandoffLogResponse' });
export type HandoffLogResponse = z.infer<typeof HandoffLogResponseSchema>;

export const HandoffDraftSchema = z
  .object({ title: z.string(), markdown: z.string(), to: z.array(HandoffRecipientSchema) })
  .meta({ id: 'HandoffDraft' });
export type HandoffDraft = z.infer<typeof HandoffDraftSchema>;

/**
 * `GET /api/me/handoff-draft`: `offer` is true during the last hour of the caller's working day
 * until she has written a handoff note that day; `draft` is prefilled with what she changed today.
 */
export const HandoffDraftResponseSchema = z
  .object({
    offer: z.boolean(),
    date: z.string().meta({ description: 'Today in the caller’s time zone, YYYY-MM-DD.' }),
    workEnd: z.string().meta({ description: 'When the caller’s working day ends, HH:MM local.' }),
    draft: HandoffDraftSchema,
  })
  .meta({ id: 'HandoffDraftResponse' });
export type HandoffDraftResponse = z.infer<typeof HandoffDraftResponseSchema>;
