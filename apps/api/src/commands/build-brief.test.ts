import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeExtractive } from '../adapters/brief/extractive-brief-writer.ts';
import { estimateItemWords } from '../domain/build-brief.ts';
import { ManualClock } from '../domain/clock.ts';
import { addComment } from './add-comment.ts';
import { buildBrief } from './build-brief.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { listThreads } from './list-threads.ts';
import { putMember } from './put-member.ts';
import { removeMember } from './remove-member.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { updateDoc } from './update-doc.ts';
import { watchDoc } from './watch-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('buildBrief', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('tells a member of new documents in the spaces the access policy lets her read now', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await putMember(app.deps, closed.id, bob.id, 'viewer');
    const since = clock.now();
    await clock.advance(60_000);
    const doc = await app.deps.docs.create(ada, { spaceId: closed.id, title: 'Plan', markdown: 'We ship the new search on Monday.' });
    await clock.advance(60_000);
    const window = { since, until: clock.now() };
    const built = await buildBrief(app.deps.db, bob, window);
    expect(built.draft.items.map((i) => [i.docId, i.reasons])).toEqual([[doc.id, ['new']]]);
    // Once she may no longer read the space, the same window tells her nothing.
    await removeMember(app.deps, closed.id, bob.id);
    expect((await buildBrief(app.deps.db, bob, window)).draft.items).toEqual([]);
  });

  it('leaves out what the reader wrote herself', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const since = clock.now();
    await clock.advance(60_000);
    await app.deps.docs.create(ada, { spaceId: space.id, title: 'Mine', markdown: 'Notes of my own.' });
    await clock.advance(60_000);
    expect((await buildBrief(app.deps.db, ada, { since, until: clock.now() })).draft.items).toEqual([]);
  });

  describe('comment threads', () => {
    /** Ada (admin) and Bob in an open space with Ada's plan; the window starts after it was written. */
    async function setting() {
      const ada = await app.person('ada');
      const bob = await app.person('bob');
      const space = await createSpace(app.deps, ada, { name: 'Launch' });
      await putMember(app.deps, space.id, bob.id, 'editor');
      const doc = await app.deps.docs.create(ada, { spaceId: space.id, title: 'Plan', markdown: 'We ship on Friday at noon.\n\nRollback is manual.' });
      await clock.advance(60_000);
      const since = clock.now();
      await clock.advance(1_000);
      return { ada, bob, space, doc, since };
    }
    const window = (since: number) => ({ since, until: clock.now() });

    it('tells the one asked of the question, quoting the anchored text, at the document’s current revision', async () => {
      const { ada, bob, doc, since } = await setting();
      await clock.advance(60_000);
      const thread = await createThread(app.deps, ada, doc, { markdown: 'Is **Friday** final?', anchor: { quote: 'Friday at noon' }, ask: [bob.id] });
      await clock.advance(60_000);
      const [item, ...rest] = (await buildBrief(app.deps.db, bob, window(since))).draft.items;
      expect(rest).toEqual([]);
      const url = `/docs/${doc.id}?thread=${thread.thread.id}`;
      expect(item).toMatchObject({ docId: doc.id, reasons: ['asked'], fromRevision: 1, toRevision: 1, authors: [], diffUrl: url, title: 'Plan' });
      expect(item!.threads).toEqual([
        {
          threadId: thread.thread.id,
          reason: 'asked',
          askedBy: { id: ada.id, name: 'ada' },
          askedAt: thread.thread.createdAt,
          quote: 'Friday at noon',
          orphaned: false,
          replies: [{ commentId: thread.comments[0]!.id, authorId: ada.id, author: 'ada', text: 'Is Friday final?', createdAt: thread.thread.createdAt }],
          commentIds: [thread.comments[0]!.id],
          url,
        },
      ]);
      // Ada asked; she is not told of her own question.
      expect((await buildBrief(app.deps.db, ada, window(since))).draft.items).toEqual([]);
    });

    it('an answer clears the question and tells the asker of the reply; the one who answered is told nothing more', async () => {
      const { ada, bob, doc, since } = await setting();
      const thread = await createThread(app.deps, ada, doc, { markdown: 'Who owns the rollback?', ask: [bob.id] });
      await clock.advance(60_000);
      const reply = await addComment(app.deps, bob, doc, thread.thread, 'I do, from Monday on.');
      await clock.advance(60_000);
      expect((await buildBrief(app.deps.db, bob, window(since))).draft.items).toEqual([]);
      const [item] = (await buildBrief(app.deps.db, ada, window(since))).draft.items;
      expect(item).toMatchObject({ docId: doc.id, reasons: ['thread'] });
      expect(item!.threads.map((t) => [t.reason, t.quote, t.replies.map((r) => [r.author, r.text]), t.commentIds])).toEqual([['thread', null, [['bob', 'I do, from Monday on.']], [reply.id]]]);
    });

    it('an @mention in a reply asks someone who was not in the thread, with the replies before it', async () => {
      const { ada, bob, doc, since } = await setting();
      const cy = await app.person('cy');
      const thread = await createThread(app.deps, ada, doc, { markdown: 'Noon in which time zone?', anchor: { quote: 'noon' } });
      await clock.advance(1_000);
      await addComment(app.deps, bob, doc, thread.thread, 'UTC, I think. @cy knows for sure.');
      await clock.advance(60_000);
      const [item] = (await buildBrief(app.deps.db, cy, window(since))).draft.items;
      expect(item!.reasons).toEqual(['asked']);
      expect(item!.threads[0]!.askedBy).toEqual({ id: bob.id, name: 'bob' });
      expect(item!.threads[0]!.replies.map((r) => r.text)).toEqual(['Noon in which time zone?', 'UTC, I think. @cy knows for sure.']);
      // Ada started the thread: Bob's reply is news for her.
      expect((await buildBrief(app.deps.db, ada, window(since))).draft.items[0]!.reasons).toEqual(['thread']);
    });

    it('never quotes a deleted comment, and a resolved thread no longer asks', async () => {
      const { ada, bob, doc, since } = await setting();
      const thread = await createThread(app.deps, ada, doc, { markdown: 'Please check the rollback section.', ask: [bob.id] });
      const oops = await addComment(app.deps, ada, doc, thread.thread, 'The launch code is 0000.');
      await deleteComment(app.deps, ada, doc, oops);
      await clock.advance(60_000);
      const built = await buildBrief(app.deps.db, bob, window(since));
      expect(built.draft.items[0]!.threads[0]!.replies.map((r) => r.text)).toEqual(['Please check the rollback section.']);
      expect(built.draft.items[0]!.threads[0]!.commentIds).not.toContain(oops.id);
      expect(JSON.stringify(built)).not.toContain('0000');
      await setThreadResolution(app.deps, ada, doc, thread.thread, 'resolved');
      expect((await buildBrief(app.deps.db, bob, window(since))).draft.items).toEqual([]);
    });

    it('tells nothing of a thread on a document the reader cannot read, however she was asked', async () => {
      const { ada, bob, since } = await setting();
      const secret = await createSpace(app.deps, ada, { name: 'Board', private: true });
      const doc = await app.deps.docs.create(ada, { spaceId: secret.id, title: 'Acquisition', markdown: 'We buy Globex.' });
      await createThread(app.deps, ada, doc, { markdown: 'Keep this quiet, @bob.', ask: [bob.id] });
      await clock.advance(60_000);
      expect((await buildBrief(app.deps.db, bob, window(since))).draft.items).toEqual([]);
      // Once she may read it, it is hers (and new to her).
      await putMember(app.deps, secret.id, bob.id, 'viewer');
      expect((await buildBrief(app.deps.db, bob, window(since))).draft.items.map((i) => i.reasons)).toEqual([['asked', 'new']]);
    });

    it('joins a change of the document and its threads in one item, ranked above a mention', async () => {
      const { ada, bob, space, doc, since } = await setting();
      await watchDoc(app.deps, bob, doc);
      const other = await app.deps.docs.create(ada, { spaceId: space.id, title: 'Notes', markdown: 'Nothing yet.' });
      await clock.advance(60_000);
      const { doc: changed } = await updateDoc(app.deps, ada, doc, { markdown: 'We ship on Monday at noon, after the freeze.\n\nRollback is manual.', message: 'Moved to Monday' });
      await updateDoc(app.deps, ada, other, { markdown: 'Nothing yet. @bob please add the agenda for Monday.' });
      const thread = await createThread(app.deps, ada, changed, { markdown: 'Does Monday work for you?', anchor: { quote: 'Monday at noon' }, ask: [bob.id] });
      await clock.advance(60_000);
      const items = (await buildBrief(app.deps.db, bob, window(since))).draft.items;
      expect(items.map((i) => [i.docId, i.reasons])).toEqual([
        [doc.id, ['asked', 'watch']],
        [other.id, ['mention', 'new']],
      ]);
      expect(items[0]).toMatchObject({ fromRevision: 1, toRevision: 2, diffUrl: `/docs/${doc.id}?diff=1..2`, authors: [{ id: ada.id, name: 'ada' }], messages: [{ author: 'ada', text: 'Moved to Monday' }] });
      expect(items[0]!.threads.map((t) => t.url)).toEqual([`/docs/${doc.id}?thread=${thread.thread.id}`]);
    });

    it('says when the anchored text was deleted, and counts the replies in the reading time', async () => {
      const { ada, bob, doc, since } = await setting();
      const thread = await createThread(app.deps, bob, doc, { markdown: 'Rollback by hand?', anchor: { quote: 'Rollback is manual.' } });
      await clock.advance(1_000);
      const long = 'We script it before the launch, with a dry run on staging and a second pair of eyes. '.repeat(3).trim();
      await addComment(app.deps, ada, doc, thread.thread, long);
      const { doc: edited } = await updateDoc(app.deps, ada, doc, { markdown: 'We ship on Friday at noon.' });
      await listThreads(app.deps, edited); // resolves the anchors: the sentence is gone
      await clock.advance(60_000);
      const { draft } = await buildBrief(app.deps.db, bob, window(since));
      const [item] = draft.items;
      // Ada's edit has no reason of its own for Bob: an item of the thread alone, at the current revision.
      expect(item).toMatchObject({ reasons: ['thread'], fromRevision: 2, toRevision: 2 });
      expect(item!.threads[0]).toMatchObject({ quote: 'Rollback is manual.', orphaned: true });
      const markdown = writeExtractive(draft).markdown;
      expect(markdown).toContain('on “Rollback is manual.” (that text has since been deleted)');
      expect(markdown).toContain('We script it before the launch');
      expect(estimateItemWords(item!)).toBeGreaterThan(estimateItemWords({ ...item!, threads: [] }) + 45);
    });
  });
});
