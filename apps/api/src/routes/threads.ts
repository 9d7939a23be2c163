import { createRoute, z } from '@hono/zod-openapi';
import {
  CommentRequestSchema,
  CommentResponseSchema,
  CreateThreadRequestSchema,
  IdParamsSchema,
  ThreadResponseSchema,
  ThreadsResponseSchema,
  ThreadStatusQuerySchema,
  WaitingResponseSchema,
} from '@handoff/shared/schemas';
import { requireAuth } from '../middleware/auth.ts';
import { readableSpaceIds } from '../policies/access.ts';
import { requireCommentableDoc, requireOwnComment, requireThread } from '../policies/threads.ts';
import { presentComment, presentThread, presentWaitingThread } from '../presenters/threads.ts';
import { presentWaitingHandoffAsk } from '../presenters/handoffs.ts';
import { createThread } from '../commands/create-thread.ts';
import { listThreads } from '../commands/list-threads.ts';
import { addComment } from '../commands/add-comment.ts';
import { editComment } from '../commands/edit-comment.ts';
import { deleteComment } from '../commands/delete-comment.ts';
import { setThreadResolution } from '../commands/resolve-thread.ts';
import { listWaiting } from '../commands/list-waiting.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['comments'];
const byId = { params: IdParamsSchema };
const writeErrors = { ...errorResponses, 409: errorResponses[400], 413: errorResponses[400], 422: errorResponses[400] };

const createThreadRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/threads',
  tags,
  summary: 'Start a comment thread on a range of the text (anchor) or on the whole document.',
  description:
    '`anchor: {quote}` anchors on the first occurrence of the text within one block (422 when there is none); `anchor: {relative: {start, end}}` takes an editor\'s range as Yjs relative positions. `ask` addresses the thread to people. 413 for a comment over 10,000 characters, 422 past 500 threads on one document.',
  request: { ...byId, ...jsonBody(CreateThreadRequestSchema) },
  responses: { 201: jsonContent(ThreadResponseSchema, 'The new thread with its first comment.'), ...writeErrors },
});
const listThreadsRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/threads',
  tags,
  summary: "The document's comment threads, oldest first, each anchor resolved against the current text.",
  request: { ...byId, query: ThreadStatusQuerySchema },
  responses: { 200: jsonContent(ThreadsResponseSchema, 'Threads.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const replyRoute = createRoute({
  method: 'post',
  path: '/api/threads/{id}/comments',
  tags,
  summary: 'Reply in a thread.',
  request: { ...byId, ...jsonBody(CommentRequestSchema) },
  responses: { 201: jsonContent(CommentResponseSchema, 'The reply.'), ...writeErrors },
});
const editRoute = createRoute({
  method: 'patch',
  path: '/api/comments/{id}',
  tags,
  summary: 'Edit one of your own comments (shown as edited).',
  request: { ...byId, ...jsonBody(CommentRequestSchema) },
  responses: { 200: jsonContent(CommentResponseSchema, 'The comment.'), ...writeErrors },
});
const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/comments/{id}',
  tags,
  summary: 'Delete one of your own comments (a space admin may delete any); it stays in its thread as deleted.',
  request: byId,
  responses: { ...noContent, ...errorResponses },
});
const resolveRoute = createRoute({
  method: 'post',
  path: '/api/threads/{id}/resolve',
  tags,
  summary: 'Resolve a thread (who and when are recorded).',
  request: byId,
  responses: { 200: jsonContent(ThreadResponseSchema, 'The thread.'), ...errorResponses },
});
const reopenRoute = createRoute({
  method: 'post',
  path: '/api/threads/{id}/reopen',
  tags,
  summary: 'Reopen a resolved thread.',
  request: byId,
  responses: { 200: jsonContent(ThreadResponseSchema, 'The thread.'), ...errorResponses },
});
const waitingRoute = createRoute({
  method: 'get',
  path: '/api/me/waiting',
  tags,
  summary: '"Waiting on you": open threads that asked you something (addressed or @mentioned) you have not answered since, and handoff notes blocked on you or needing your decision.',
  request: { query: z.object({}) },
  responses: { 200: jsonContent(WaitingResponseSchema, 'Threads, most recently asked first.'), 401: errorResponses[401] },
});

export const threadRoutes = router()
  .openapi(createThreadRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireCommentableDoc(deps.db, user, c.req.valid('param').id, 'comment');
    const thread = await createThread(deps, user, doc, c.req.valid('json'));
    return c.json({ thread: presentThread(thread, thread.thread.quote !== null ? { orphaned: false, text: thread.thread.quote } : null) }, 201);
  })
  .openapi(listThreadsRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireCommentableDoc(deps.db, user, c.req.valid('param').id, 'read');
    const threads = await listThreads(deps, doc, c.req.valid('query').status);
    return c.json({ threads: threads.map((t) => presentThread(t, t.anchor)) }, 200);
  })
  .openapi(replyRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc, thread } = await requireThread(deps.db, user, c.req.valid('param').id, 'comment');
    const comment = await addComment(deps, user, doc, thread, c.req.valid('json').markdown);
    return c.json({ comment: presentComment(comment) }, 201);
  })
  .openapi(editRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc, comment } = await requireOwnComment(deps.db, user, c.req.valid('param').id, 'edit');
    const edited = await editComment(deps, user, doc, comment, c.req.valid('json').markdown);
    return c.json({ comment: presentComment(edited) }, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc, comment } = await requireOwnComment(deps.db, user, c.req.valid('param').id, 'delete');
    await deleteComment(deps, user, doc, comment);
    return c.body(null, 204);
  })
  .openapi(resolveRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc, thread } = await requireThread(deps.db, user, c.req.valid('param').id, 'comment');
    return c.json({ thread: presentThread(await setThreadResolution(deps, user, doc, thread, 'resolved')) }, 200);
  })
  .openapi(reopenRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc, thread } = await requireThread(deps.db, user, c.req.valid('param').id, 'comment');
    return c.json({ thread: presentThread(await setThreadResolution(deps, user, doc, thread, 'open')) }, 200);
  })
  .openapi(waitingRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const waiting = await listWaiting(deps, user, await readableSpaceIds(deps.db, user));
    return c.json({ threads: waiting.threads.map(presentWaitingThread), handoffAsks: waiting.handoffAsks.map(presentWaitingHandoffAsk) }, 200);
  });
