import { z } from 'zod';
import { DateTimeSchema, IdSchema, storedText } from './common.ts';
import { WaitingHandoffAskSchema } from './handoffs.ts';

/** Longest comment body, in characters. */
export const COMMENT_MARKDOWN_MAX = 10_000;
/** Most threads one document may hold (resolved ones count). */
export const THREADS_PER_DOC_MAX = 500;
/** Most people one thread may be addressed to when it is started. */
export const THREAD_ASK_MAX = 20;
/** Longest quote a REST client may anchor on. */
export const ANCHOR_QUOTE_MAX = 1_000;

/**
 * A comment's body: a Markdown subset (emphasis, code, links, @mentions); raw HTML is shown as
 * text. Over `COMMENT_MARKDOWN_MAX` characters the server answers 413: the schema's own bound is
 * the request body limit (2 MB), which already caps what is read, so every over-long comment gets
 * the same 413.
 */
export const CommentMarkdownSchema = storedText({ min: 1, max: 2 * 1024 * 1024 })
  .refine((s) => s.trim().length > 0, { message: 'A comment needs some text' })
  .meta({ description: `Markdown subset; at most ${COMMENT_MARKDOWN_MAX} characters (413 beyond).` });

/** `Y.encodeRelativePosition` of a position in the document's Y.Doc, base64-encoded. */
const RelativePositionSchema = z
  .string()
  .min(4)
  .max(256)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'Must be base64' })
  .meta({ description: 'A Yjs relative position (`Y.encodeRelativePosition`), base64.' });

export const AnchorInputSchema = z
  .union([
    z.strictObject({
      quote: storedText({ min: 1, max: ANCHOR_QUOTE_MAX }).meta({
        description: 'Text of the document to anchor on; the first occurrence is used (422 when there is none).',
      }),
    }),
    z.strictObject({
      relative: z.strictObject({ start: RelativePositionSchema, end: RelativePositionSchema }).meta({
        description: 'The range as two Yjs relative positions in the document Y.Doc (what the editor sends).',
      }),
    }),
  ])
  .meta({ id: 'AnchorInput' });
export type AnchorInput = z.infer<typeof AnchorInputSchema>;

export const CommentSchema = z
  .object({
    id: IdSchema,
    threadId: IdSchema,
    authorId: IdSchema,
    markdown: z.string().meta({ description: 'Empty once deleted.' }),
    createdAt: DateTimeSchema,
    editedAt: DateTimeSchema.optional(),
    deleted: z.boolean().optional(),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof CommentSchema>;

const AnchorSchema = z
  .object({
    quote: z.string().meta({ description: 'The anchored text as it was when the thread was started.' }),
    orphaned: z.boolean().meta({ description: 'The anchored text has been deleted; the thread is kept with its quote.' }),
    current: z.string().nullable().meta({ description: 'Extension: the text the range covers now (null when orphaned).' }),
    relative: z
      .object({ start: z.string(), end: z.string() })
      .meta({ description: 'Extension: the range as base64 Yjs relative positions, for editors to highlight it.' }),
  })
  // No component id: a nullable registered schema renders as `allOf`, which rejects null.
  .meta({ description: 'A range of the text: what it covered when the thread started and what it covers now.' });

export const ThreadSchema = z
  .object({
    id: IdSchema,
    docId: IdSchema,
    anchor: AnchorSchema.nullable(),
    status: z.enum(['open', 'resolved']),
    createdBy: IdSchema,
    resolvedBy: IdSchema.optional(),
    resolvedAt: DateTimeSchema.optional(),
    askedUserIds: z.array(IdSchema).meta({ description: 'People the thread asks: addressed when started or @mentioned since.' }),
    comments: z.array(CommentSchema),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  })
  .meta({ id: 'Thread' });
export type Thread = z.infer<typeof ThreadSchema>;

/** `POST /api/docs/:id/threads`. */
export const CreateThreadRequestSchema = z
  .strictObject({
    markdown: CommentMarkdownSchema,
    anchor: AnchorInputSchema.optional(),
    ask: z.array(IdSchema).max(THREAD_ASK_MAX).optional().meta({ description: 'Users the thread is a question for.' }),
  })
  .meta({ id: 'CreateThreadRequest' });
export type CreateThreadRequest = z.infer<typeof CreateThreadRequestSchema>;

/** `POST /api/threads/:id/comments` and `PATCH /api/comments/:id`. */
export const CommentRequestSchema = z.strictObject({ markdown: CommentMarkdownSchema }).meta({ id: 'CommentRequest' });
export type CommentRequest = z.infer<typeof CommentRequestSchema>;

export const ThreadStatusQuerySchema = z
  .object({ status: z.enum(['open', 'resolved', 'all']).default('all') })
  .meta({ id: 'ThreadStatusQuery' });

export const ThreadResponseSchema = z.object({ thread: ThreadSchema }).meta({ id: 'ThreadResponse' });
export type ThreadResponse = z.infer<typeof ThreadResponseSchema>;

export const ThreadsResponseSchema = z.object({ threads: z.array(ThreadSchema) }).meta({ id: 'ThreadsResponse' });
export type ThreadsResponse = z.infer<typeof ThreadsResponseSchema>;

/** `GET /api/me/waiting`: each thread with the document it is on. */
export const WaitingThreadSchema = ThreadSchema.extend({
  docTitle: z.string(),
  spaceId: IdSchema,
}).meta({ id: 'WaitingThread' });
export const WaitingResponseSchema = z
  .object({
    threads: z.array(WaitingThreadSchema),
    /** Unanswered "Blocked on @you" / "Decision needed from @you" items of handoff notes (v2). */
    handoffAsks: z.array(WaitingHandoffAskSchema),
  })
  .meta({ id: 'WaitingResponse' });
export type WaitingResponse = z.infer<typeof WaitingResponseSchema>;

export const CommentResponseSchema = z.object({ comment: CommentSchema }).meta({ id: 'CommentResponse' });
export type CommentResponse = z.infer<typeof CommentResponseSchema>;
