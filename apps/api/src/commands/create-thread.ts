import { COMMENT_MARKDOWN_MAX, THREADS_PER_DOC_MAX, type AnchorInput } from '@handoff/shared/schemas';
import { anchorOnQuote, anchorOnRange, docFromState, type EncodedAnchor } from '../domain/anchors.ts';
import { admitCommentWrite, type CommentAdmissionContext } from '../domain/comment-admission.ts';
import { tooLarge, unprocessable } from '../domain/errors.ts';
import { answerHandoffAsks } from '../domain/handoff-asks.ts';
import { newId } from '../domain/ids.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { countThreads, existingUserIds, insertComment, insertThread, mentionedUserIds, recordAsks, threadWithComments, type ThreadWithComments } from '../domain/threads.ts';
import type { DocContext } from './doc-context.ts';
import { inTransaction } from './transaction.ts';

export interface CreateThreadInput {
  markdown: string;
  anchor?: AnchorInput | undefined;
  ask?: string[] | undefined;
}

/** Longest quote stored with a thread (what an orphaned thread shows); longer ranges keep their start. */
const STORED_QUOTE_MAX = 2_000;

export function checkCommentLength(markdown: string): void {
  if (markdown.length > COMMENT_MARKDOWN_MAX) {
    throw tooLarge(`A comment may hold at most ${COMMENT_MARKDOWN_MAX.toLocaleString('en')} characters (this one has ${markdown.length.toLocaleString('en')}).`);
  }
}

/** Binds the anchor to the document's current Y.Doc: on the quote's first occurrence, or on the editor's range. */
async function anchorIn(ctx: DocContext, doc: DocRow, input: AnchorInput): Promise<EncodedAnchor> {
  const body = docFromState(await ctx.docs.loadState(ctx.db, doc.id));
  try {
    if ('quote' in input) {
      const anchor = anchorOnQuote(body, input.quote);
      if (!anchor) throw unprocessable('That text does not occur in the document (within one paragraph).', { field: 'anchor.quote' });
      return anchor;
    }
    const anchor = anchorOnRange(body, Buffer.from(input.relative.start, 'base64'), Buffer.from(input.relative.end, 'base64'));
    if (!anchor) throw unprocessable('The selected range is not in the document as the server has it (empty, across paragraphs, or not saved yet): try again.', { field: 'anchor.relative' });
    return anchor;
  } finally {
    body.destroy();
  }
}

/**
 * Starts a thread on a document (the caller was authorized to comment on it): anchored to a range
 * of its text or to the whole document, with its first comment. Addressed people (`ask`) and
 * people @mentioned in the comment are asked; the body and revisions are not touched. Admitted
 * like every comment write (per-person rate and bounded queues, domain/comment-admission.ts).
 */
export async function createThread(ctx: DocContext & CommentAdmissionContext, actor: UserRow, doc: DocRow, input: CreateThreadInput): Promise<ThreadWithComments> {
  checkCommentLength(input.markdown);
  return admitCommentWrite(ctx, actor.id, () => startThread(ctx, actor, doc, input));
}

async function startThread(ctx: DocContext, actor: UserRow, doc: DocRow, input: CreateThreadInput): Promise<ThreadWithComments> {
  const anchor = input.anchor ? await anchorIn(ctx, doc, input.anchor) : null;
  const threadId = newId();
  await inTransaction(ctx, async (tx, emit) => {
    if ((await countThreads(tx, doc.id)) >= THREADS_PER_DOC_MAX) {
      throw unprocessable(`A document may hold at most ${THREADS_PER_DOC_MAX} comment threads; resolve-and-delete is not possible, so start a new document for a new discussion.`, {
        limit: THREADS_PER_DOC_MAX,
      });
    }
    const addressed = [...new Set(input.ask ?? [])];
    const known = await existingUserIds(tx, addressed);
    const unknown = addressed.filter((id) => !known.has(id));
    if (unknown.length) throw unprocessable('`ask` names people who are not in this workspace.', { field: 'ask', unknown });
    const now = ctx.clock.now();
    await insertThread(tx, {
      id: threadId,
      docId: doc.id,
      createdBy: actor.id,
      anchorStart: anchor ? Buffer.from(anchor.start) : null,
      anchorEnd: anchor ? Buffer.from(anchor.end) : null,
      quote: anchor ? anchor.quote.slice(0, STORED_QUOTE_MAX) : null,
      orphaned: false,
      status: 'open',
      resolvedBy: null,
      resolvedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    const commentId = newId();
    await insertComment(tx, { id: commentId, threadId, docId: doc.id, authorId: actor.id, markdown: input.markdown, createdAt: now, editedAt: null, deletedAt: null });
    const mentioned = await mentionedUserIds(tx, input.markdown);
    await recordAsks(tx, threadId, addressed, actor.id, now, true);
    if (doc.kind === 'handoff') await answerHandoffAsks(tx, doc.id, actor.id, now);
    await recordAsks(tx, threadId, mentioned.filter((id) => !addressed.includes(id)), actor.id, now, false);
    const asked = [...new Set([...addressed, ...mentioned])].filter((id) => id !== actor.id);
    emit({ topic: 'thread.changed', docId: doc.id, spaceId: doc.spaceId, threadId, change: 'created', commentId, actor: actor.id, asked });
  });
  return (await threadWithComments(ctx.db, threadId))!;
}
