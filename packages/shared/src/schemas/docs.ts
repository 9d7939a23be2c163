import { z } from 'zod';
import {
  DateTimeInputSchema,
  DateTimeSchema,
  IdParamsSchema,
  IdSchema,
  NextCursorSchema,
  PaginationQuerySchema,
  queryFlag,
  singleLineText,
  storedText,
} from './common.ts';

export const DocKindSchema = z.enum(['page', 'decision', 'handoff']);
export type DocKind = z.infer<typeof DocKindSchema>;

export const DecisionStatusSchema = z
  .enum(['proposed', 'accepted', 'superseded', 'rejected']);
export type DecisionStatus = z.infer<typeof DecisionStatusSchema>;

/** Limits shared by create and patch. */
export const DOC_TITLE_MAX = 300;
export const DOC_MARKDOWN_MAX = 1_000_000;
export const REVISION_MESSAGE_MAX = 1000;
export const DECISION_OWNERS_MAX = 50;

export const DocTitleSchema = singleLineText({ min: 1, max: DOC_TITLE_MAX });
export const DocMarkdownSchema = storedText({ max: DOC_MARKDOWN_MAX });
export const RevisionMessageSchema = storedText({ max: REVISION_MESSAGE_MAX });

/** Owner ids, duplicates removed. */
const OwnersSchema = z
  .array(IdSchema)
  .max(DECISION_OWNERS_MAX)
  .overwrite((ids) => [...new Set(ids)]);

/** The decision record of a `kind: "decision"` document. */
export const DecisionSchema = z
  .object({
    status: DecisionStatusSchema,
    owners: z.array(IdSchema).meta({ description: 'User ids.' }),
    supersedes: IdSchema.nullable().optional().meta({ description: 'The id of the decision document this one replaces.' }),
    decidedAt: DateTimeSchema.nullable().optional(),
  })
  .meta({ id: 'Decision' });
export type Decision = z.infer<typeof DecisionSchema>;

/** `decision` in `POST /api/docs`. */
export const DecisionInputSchema = z
  .object({
    status: DecisionStatusSchema.default('proposed'),
    owners: OwnersSchema.default([]),
    supersedes: IdSchema.nullable().optional(),
    decidedAt: DateTimeInputSchema.nullable().optional(),
  })
  .meta({ id: 'DecisionInput' });
export type DecisionInput = z.infer<typeof DecisionInputSchema>;

/** `decision` in `PATCH /api/docs/:id`: only the given fields change. */
export const DecisionPatchSchema = z
  .strictObject({
    status: DecisionStatusSchema.optional(),
    owners: OwnersSchema.optional(),
    supersedes: IdSchema.nullable().optional(),
    decidedAt: DateTimeInputSchema.nullable().optional(),
  })
  .meta({ id: 'DecisionPatch' });
export type DecisionPatch = z.infer<typeof DecisionPatchSchema>;

/** Most recipients of one handoff note. */
export const HANDOFF_RECIPIENTS_MAX = 50;

/** A handoff recipient: a user id, or `space:<spaceId>` for every member of a space. */
export const HandoffRecipientSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^(space:)?[\w-]+$/, 'a user id or "space:<id>"')
  .meta({ description: 'A user id, or "space:<spaceId>" (every member of that space).' });

/** The handoff part of a `kind: "handoff"` document: whom it hands over to. */
export const HandoffSchema = z
  .object({ to: z.array(HandoffRecipientSchema).max(HANDOFF_RECIPIENTS_MAX).overwrite((to) => [...new Set(to)]) })
  .meta({ id: 'Handoff' });
export type Handoff = z.infer<typeof HandoffSchema>;

/** The Lexical serialized editor state (`editor.getEditorState().toJSON()`), `{root: {...}}`. */
export const LexicalEditorStateSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'LexicalEditorState', description: 'Lexical serialized editor state (JSON).' });
export type LexicalEditorState = z.infer<typeof LexicalEditorStateSchema>;

const docFields = {
  id: IdSchema,
  spaceId: IdSchema,
  parentId: IdSchema.nullable(),
  title: z.string(),
  kind: DocKindSchema,
  revision: z.number().int().nonnegative(),
  createdBy: IdSchema,
  updatedBy: IdSchema,
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
  /** Extension: set while the document is in the trash. */
  trashedAt: DateTimeSchema.nullable().optional(),
  /** Present on decision documents only. */
  decision: DecisionSchema.optional(),
  /** Present on handoff notes only (v2). */
  handoff: HandoffSchema.optional(),
};

export const DocSchema = z
  .object({
    ...docFields,
    markdown: z.string(),
    content: LexicalEditorStateSchema,
  })
  .meta({ id: 'Doc' });
export type Doc = z.infer<typeof DocSchema>;

/** A document without its body (`markdown`, `content`): what lists return. */
export const DocSummarySchema = z.object(docFields).meta({ id: 'DocSummary' });
export type DocSummary = z.infer<typeof DocSummarySchema>;

/** `POST /api/docs`. A decision document without `decision` gets `{status: "proposed", owners: []}`. */
export const CreateDocRequestSchema = z
  .object({
    spaceId: IdSchema,
    title: DocTitleSchema,
    markdown: DocMarkdownSchema.optional(),
    parentId: IdSchema.nullable().optional(),
    kind: DocKindSchema.default('page'),
    decision: DecisionInputSchema.optional(),
    handoff: HandoffSchema.optional(),
  })
  .refine((body) => body.decision === undefined || body.kind === 'decision', {
    message: 'decision is only allowed with kind "decision"',
    path: ['decision'],
  })
  .refine((body) => body.handoff === undefined || body.kind === 'handoff', {
    message: 'handoff is only allowed with kind "handoff"',
    path: ['handoff'],
  })
  .meta({ id: 'CreateDocRequest' });
export type CreateDocRequest = z.infer<typeof CreateDocRequestSchema>;

/**
 * `PATCH /api/docs/:id`. At least one of title, markdown, decision, parentId.
 * `baseRevision` (extension): the revision the client's `markdown` was based on; the server merges
 * the change against it so that concurrent edits made since survive.
 * `parentId` (extension): move the document (null: to the top of its space).
 */
export const PatchDocRequestSchema = z
  .strictObject({
    title: DocTitleSchema.optional(),
    markdown: DocMarkdownSchema.optional(),
    decision: DecisionPatchSchema.optional(),
    handoff: HandoffSchema.optional(),
    message: RevisionMessageSchema.optional(),
    baseRevision: z.number().int().positive().optional(),
    parentId: IdSchema.nullable().optional(),
  })
  .refine(
    (body) =>
      body.title !== undefined ||
      body.markdown !== undefined ||
      body.decision !== undefined ||
      body.handoff !== undefined ||
      body.parentId !== undefined,
    { message: 'Nothing to change: give at least one of title, markdown, decision, handoff, parentId' },
  )
  .meta({ id: 'PatchDocRequest' });
export type PatchDocRequest = z.infer<typeof PatchDocRequestSchema>;

/** `GET /api/docs`. */
export const ListDocsQuerySchema = PaginationQuerySchema.extend({
  spaceId: IdSchema.optional(),
  kind: DocKindSchema.optional(),
  updatedSince: DateTimeInputSchema.optional(),
  parentId: IdSchema.optional(),
  trashed: queryFlag().default(false).meta({ description: 'List the trash instead.' }),
}).meta({ id: 'ListDocsQuery' });
export type ListDocsQuery = z.infer<typeof ListDocsQuerySchema>;

/** `GET /api/docs/:id?peek=1`: read without marking the document seen. */
export const GetDocQuerySchema = z
  .object({ peek: queryFlag().default(false) })
  .meta({ id: 'GetDocQuery' });
export type GetDocQuery = z.infer<typeof GetDocQuerySchema>;

/** `GET /api/docs/:id/export.md`: `?comments=1` appends the comment threads after the body. */
export const ExportDocQuerySchema = z.object({ comments: queryFlag().default(false) }).meta({ id: 'ExportDocQuery' });

export const DocResponseSchema = z.object({ doc: DocSchema }).meta({ id: 'DocResponse' });
export type DocResponse = z.infer<typeof DocResponseSchema>;

export const DocsResponseSchema = z
  .object({ docs: z.array(DocSummarySchema), nextCursor: NextCursorSchema })
  .meta({ id: 'DocsResponse' });
export type DocsResponse = z.infer<typeof DocsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Revisions

export const RevisionNumberSchema = z.coerce.number().int().positive();

export const RevisionSchema = z
  .object({
    revision: z.number().int().positive(),
    authors: z.array(IdSchema).meta({ description: 'User ids.' }),
    createdAt: DateTimeSchema,
    message: z.string().nullable(),
    title: z.string(),
  })
  .meta({ id: 'Revision' });
export type Revision = z.infer<typeof RevisionSchema>;

/** `GET /api/docs/:id/revisions` (newest first). `nextCursor` is an extension. */
export const RevisionsResponseSchema = z
  .object({ revisions: z.array(RevisionSchema), nextCursor: NextCursorSchema.optional() })
  .meta({ id: 'RevisionsResponse' });
export type RevisionsResponse = z.infer<typeof RevisionsResponseSchema>;

/** `/api/docs/:id/revisions/:revision` path parameters. */
export const RevisionParamsSchema = IdParamsSchema.extend({ revision: RevisionNumberSchema }).meta({
  id: 'RevisionParams',
});
export type RevisionParams = z.infer<typeof RevisionParamsSchema>;

// ---------------------------------------------------------------------------------------------
// Diff

/** `GET /api/docs/:id/diff?from=&to=`. */
export const DiffQuerySchema = z
  .object({ from: RevisionNumberSchema, to: RevisionNumberSchema })
  .meta({ id: 'DiffQuery' });
export type DiffQuery = z.infer<typeof DiffQuerySchema>;

export const DiffWordSchema = z
  .object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })
  .meta({ id: 'DiffWord' });
export type DiffWord = z.infer<typeof DiffWordSchema>;

/** One top-level block: `before`/`after` are its Markdown in the `from`/`to` revision. */
export const DiffBlockSchema = z
  .discriminatedUnion('op', [
    z.object({ op: z.literal('same'), before: z.string(), after: z.string() }).meta({ id: 'DiffBlockSame' }),
    z.object({ op: z.literal('added'), after: z.string() }).meta({ id: 'DiffBlockAdded' }),
    z.object({ op: z.literal('removed'), before: z.string() }).meta({ id: 'DiffBlockRemoved' }),
    z
      .object({ op: z.literal('changed'), before: z.string(), after: z.string(), words: z.array(DiffWordSchema) })
      .meta({ id: 'DiffBlockChanged' }),
  ])
  .meta({ id: 'DiffBlock' });
export type DiffBlock = z.infer<typeof DiffBlockSchema>;

export const DiffResponseSchema = z
  .object({
    from: z.number().int().positive(),
    to: z.number().int().positive(),
    blocks: z.array(DiffBlockSchema),
  })
  .meta({ id: 'DiffResponse' });
export type DiffResponse = z.infer<typeof DiffResponseSchema>;
