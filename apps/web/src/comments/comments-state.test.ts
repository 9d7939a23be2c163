import { describe, expect, test } from 'vitest';
import type { Thread, WaitingThread } from '../api/model.ts';
import { CommentsController } from './comments-controller.ts';
import { arrangeThreads } from './CommentsSidebar.tsx';
import { askOf, lastComment } from './waiting.ts';

function thread(id: string, extra: Partial<Thread> = {}): Thread {
  return {
    id,
    docId: 'd1',
    anchor: { quote: `quote ${id}`, orphaned: false, current: `quote ${id}`, relative: { start: 'AAAA', end: 'AAAA' } },
    status: 'open',
    createdBy: 'ada',
    askedUserIds: [],
    comments: [],
    createdAt: `2026-12-03T08:00:0${id.length}.000Z`,
    updatedAt: '2026-12-03T08:00:00.000Z',
    ...extra,
  };
}

const comment = (id: string, authorId: string, markdown: string, extra = {}) => ({
  id,
  threadId: 't',
  authorId,
  markdown,
  createdAt: `2026-12-03T09:00:0${id.slice(1)}.000Z`,
  ...extra,
});

describe('the comments controller', () => {
  test('selecting, revealing and drafting notify once per change', () => {
    const controller = new CommentsController();
    let calls = 0;
    controller.subscribe(() => calls++);
    controller.select('t1', { reveal: true });
    expect(controller.getState()).toMatchObject({ activeThreadId: 't1', revealRequest: 1, focusCardRequest: 0 });
    controller.select('t1');
    expect(calls).toBe(1); // nothing changed
    controller.startDraft({ anchor: null });
    expect(controller.getState()).toMatchObject({ activeThreadId: null, draft: { anchor: null } });
    controller.setLive(new Map([['t1', { block: 0, offset: 3 }]]));
    controller.setLive(new Map([['t1', { block: 0, offset: 3 }]]));
    expect(calls).toBe(3);
    controller.setLive(new Map([['t1', { block: 1, offset: 0 }]]));
    expect(calls).toBe(4);
  });
});

describe('the order of threads in the sidebar', () => {
  test('whole-document first, then in the order of the text, orphaned at the bottom', () => {
    const threads = [thread('a'), thread('bb'), thread('ccc', { anchor: null }), thread('dddd')];
    const live = new Map([
      ['a', { block: 3, offset: 0 }],
      ['bb', { block: 1, offset: 9 }],
    ]);
    const { placed, orphaned } = arrangeThreads(threads, live);
    expect(placed.map((t) => t.id)).toEqual(['ccc', 'bb', 'a']);
    expect(orphaned.map((t) => t.id)).toEqual(['dddd']);
    // Before the editor has its content, the server's word counts.
    const stored = arrangeThreads([thread('a'), thread('bb', { anchor: { ...thread('bb').anchor!, orphaned: true } })], null);
    expect(stored.placed.map((t) => t.id)).toEqual(['a']);
    expect(stored.orphaned.map((t) => t.id)).toEqual(['bb']);
  });
});

describe('waiting threads', () => {
  const me = { id: 'lena', handle: 'lena' };
  const waiting = (comments: ReturnType<typeof comment>[]): WaitingThread => ({ ...thread('t', { createdBy: 'marcus', comments }), docTitle: 'Doc', spaceId: 's' });

  test('asked by: the latest comment by someone else that mentions me, else who started the thread', () => {
    expect(askOf(waiting([comment('c1', 'marcus', 'A question for you')]), me)).toEqual({ by: 'marcus', at: '2026-12-03T08:00:01.000Z' });
    const thread = waiting([comment('c1', 'marcus', 'Hm'), comment('c2', 'priya', 'What do you think, @lena?'), comment('c3', 'lena', 'Me: @lena'), comment('c4', 'sam', '`@lena`')]);
    expect(askOf(thread, me)).toEqual({ by: 'priya', at: '2026-12-03T09:00:02.000Z' });
    expect(askOf(waiting([comment('c1', 'priya', '@lena?', { deleted: true, markdown: '' })]), me).by).toBe('marcus');
  });

  test('the last comment is the latest one not deleted', () => {
    expect(lastComment(waiting([comment('c1', 'marcus', 'first'), comment('c2', 'priya', '', { deleted: true })]))?.id).toBe('c1');
    expect(lastComment(waiting([]))).toBeNull();
  });
});
