import { z } from 'zod';
import { DateTimeInputSchema, DateTimeSchema, IdSchema } from './common.ts';

/**
 * Why a document is in a brief, most important first: `handoff` (a handoff note addressed to the
 * reader, or to a space she is a member of), `decision` (a decision changed status or text, and
 * she is a member of its space, owns it, has opened it, wrote it, watches it, was mentioned in it,
 * or a document of hers links to it or is linked from it), `asked` (someone asked the reader
 * something in a comment thread she has not answered, or a handoff note is blocked on her or needs
 * a decision from her), `thread` (new replies in a comment thread the reader started or wrote in),
 * `mention` (the reader was newly mentioned), `owner` (someone else changed a document the reader
 * created or edited), `watch` (the reader watches it or its space), `linked` (a document she
 * created, or edited in the last 30 days, links to it or is linked from it: see `linkedVia`),
 * `new` (new in a space the reader belongs to or was active in during the last 30 days).
 */
export const ReasonSchema = z.enum(['handoff', 'decision', 'asked', 'thread', 'mention', 'owner', 'watch', 'linked', 'new']);
export type Reason = z.infer<typeof ReasonSchema>;

export const BriefWriterSchema = z.enum(['extractive', 'llm']);
export type BriefWriter = z.infer<typeof BriefWriterSchema>;

export const BriefThreadSchema = z
  .object({
    threadId: IdSchema,
    reason: z.enum(['asked', 'thread']).meta({ description: '`asked`: the thread asked the reader something; `thread`: new replies in a thread she is in.' }),
    askedBy: IdSchema.optional().meta({ description: 'Who asked her (for `asked`).' }),
    quote: z.string().nullable().meta({ description: 'The anchored text when the thread was started; null for a document-level thread.' }),
    orphaned: z.boolean().meta({ description: 'The anchored text has since been deleted from the document.' }),
    resolvedBy: IdSchema.optional().meta({ description: 'Who resolved the thread, when it is resolved.' }),
    replies: z
      .array(z.object({ commentId: IdSchema, authorId: IdSchema, text: z.string(), createdAt: DateTimeSchema }))
      .meta({ description: 'The newest new comments by others (a few, oldest first), as plain text; never deleted ones.' }),
    newComments: z.number().int().nonnegative().meta({ description: 'How many new comments by others the thread has in the window (quoted or not).' }),
    url: z.string().meta({ description: 'The document scrolled to the thread: `/docs/<docId>?thread=<threadId>`.' }),
  })
  .meta({ id: 'BriefThread' });
export type BriefThread = z.infer<typeof BriefThreadSchema>;

export const BriefLinkedViaSchema = z
  .object({
    docId: IdSchema,
    title: z.string(),
    direction: z.enum(['links-to', 'linked-from']).meta({
      description: '`links-to`: the reader\'s document links to the item\'s ("which your X links to"); `linked-from`: the item\'s document links to hers ("which links to your X").',
    }),
  })
  .meta({ id: 'BriefLinkedVia', description: 'For `linked`: the document of the reader\'s (created, or edited in the last 30 days) that ties the item to her.' });
export type BriefLinkedVia = z.infer<typeof BriefLinkedViaSchema>;

export const BriefHandoffSectionSchema = z
  .object({
    heading: z.string().meta({ description: 'One of `Done`, `In progress / next`, `Blocked on`, `Decisions needed`, `Handing over to`.' }),
    items: z.array(z.string()).meta({ description: 'The first items of the section, as plain text (shortened).' }),
    more: z.number().int().nonnegative().meta({ description: 'Items of the section left out.' }),
  })
  .meta({ id: 'BriefHandoffSection' });
export type BriefHandoffSection = z.infer<typeof BriefHandoffSectionSchema>;

export const BriefHandoffSchema = z
  .object({
    from: IdSchema.meta({ description: 'Who wrote the note.' }),
    timezone: z.string().meta({ description: 'The writer\'s time zone.' }),
    sections: z.array(BriefHandoffSectionSchema).meta({ description: 'The note\'s sections that have text, in its order.' }),
  })
  .meta({ id: 'BriefHandoff', description: 'A handoff note: who wrote it and its sections.' });
export type BriefHandoff = z.infer<typeof BriefHandoffSchema>;

export const BriefHandoffAskSchema = z
  .object({
    section: z.enum(['blocked', 'decision']).meta({ description: '`blocked`: the writer is blocked on the reader; `decision`: needs a decision from her.' }),
    text: z.string(),
    askedBy: IdSchema,
    askedAt: DateTimeSchema,
  })
  .meta({ id: 'BriefHandoffAsk', description: 'A handoff note waiting on the reader (reason `asked`).' });
export type BriefHandoffAsk = z.infer<typeof BriefHandoffAskSchema>;

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
      .meta({
        description:
          'The last revision the reader saw; 0 when the document is new to them. An item only about comments has `fromRevision` = `toRevision` = the current revision.',
      }),
    toRevision: z.number().int().positive(),
    authors: z.array(IdSchema).meta({ description: 'User ids of who changed it in between (commenters are in `threads`).' }),
    summary: z.string(),
    diffUrl: z.string().optional().meta({
      description:
        "The web app's diff of exactly these revisions: `/docs/<id>?diff=<from>..<to>` (from 1 for a new document); for an item only about comments, the document scrolled to its first thread (`/docs/<id>?thread=<threadId>`).",
    }),
    threads: z.array(BriefThreadSchema).optional().meta({
      description:
        'Comment threads of the document with news for the reader (reasons `asked` and `thread`), most important first; this server always sends it (empty for a change of the body only).',
    }),
    otherThreads: z.number().int().nonnegative().optional().meta({ description: 'Threads with news left out of `threads` for length.' }),
    linkedVia: BriefLinkedViaSchema.optional(),
    handoff: BriefHandoffSchema.optional(),
    asks: z.array(BriefHandoffAskSchema).optional().meta({ description: 'Handoff asks of this note waiting on the reader (reason `asked`).' }),
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
