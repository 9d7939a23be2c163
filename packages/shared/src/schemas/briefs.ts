import { z } from 'zod';
import { DateTimeInputSchema, DateTimeSchema, IdSchema } from './common.ts';

/**
 * Why a document is in a brief: `decision` (a decision changed status or text), `mention` (the
 * reader was newly mentioned), `owner` (someone else changed a document the reader created or
 * edited), `watch` (the reader watches it or its space), `new` (new in a space the reader belongs to).
 */
export const ReasonSchema = z.enum(['decision', 'mention', 'owner', 'watch', 'new']);
export type Reason = z.infer<typeof ReasonSchema>;

export const BriefWriterSchema = z.enum(['extractive', 'llm']);
export type BriefWriter = z.infer<typeof BriefWriterSchema>;

export const BriefItemSchema = z
  .object({
    docId: IdSchema,
    title: z.string(),
    spaceId: IdSchema,
    reasons: z.array(ReasonSchema).min(1),
    fromRevision: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'The last revision the reader saw; 0 when the document is new to them.' }),
    toRevision: z.number().int().positive(),
    authors: z.array(IdSchema).meta({ description: 'User ids of who changed it in between.' }),
    summary: z.string(),
    diffUrl: z
      .string()
      .optional()
      .meta({ description: 'The web app\'s diff of exactly these revisions: `/docs/<id>?diff=<from>..<to>` (from 1 for a new document).' }),
  })
  .meta({ id: 'BriefItem' });
export type BriefItem = z.infer<typeof BriefItemSchema>;

export const BriefSchema = z
  .object({
    id: IdSchema,
    userId: IdSchema,
    since: DateTimeSchema,
    until: DateTimeSchema,
    writer: BriefWriterSchema,
    readingSeconds: z.number().int().nonnegative(),
    markdown: z.string(),
    items: z.array(BriefItemSchema),
    omitted: z.number().int().nonnegative().meta({ description: 'Items left out to keep the brief short.' }),
    createdAt: DateTimeSchema.optional(),
    acknowledgedAt: DateTimeSchema.nullable().optional().meta({ description: 'When the reader said "I am caught up"; null until then.' }),
  })
  .meta({ id: 'Brief' });
export type Brief = z.infer<typeof BriefSchema>;

/** `POST /api/briefs`. Without `since`: the caller's last acknowledged brief, or 7 days ago. */
export const CreateBriefRequestSchema = z
  .object({ since: DateTimeInputSchema.optional() })
  .meta({ id: 'CreateBriefRequest' });
export type CreateBriefRequest = z.infer<typeof CreateBriefRequestSchema>;

export const BriefResponseSchema = z.object({ brief: BriefSchema }).meta({ id: 'BriefResponse' });
export type BriefResponse = z.infer<typeof BriefResponseSchema>;
