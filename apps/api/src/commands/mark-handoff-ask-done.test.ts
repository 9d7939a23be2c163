import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { addComment } from './add-comment.ts';
import { listWaiting } from './list-waiting.ts';
import { markHandoffAskDone } from './mark-handoff-ask-done.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('handoff asks', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  async function setting() {
    const priya = await app.person('priya');
    const lena = await app.person('lena');
    const bo = await app.person('bo');
    const space = await createSpace(app.deps, priya, { name: 'Sync' });
    const markdown = '## Blocked on\n\n- schema review @lena\n- staging access @bo\n- my own thing @priya\n\n## Decisions needed\n\n- @lena: ship Friday?\n';
    const { doc } = await createDoc(app.deps, priya, { spaceId: space.id, title: 'Handoff', kind: 'handoff', markdown, handoff: { to: [lena.id] } });
    const waiting = async (who: typeof lena) => (await listWaiting(app.deps, who, [space.id])).handoffAsks.map((a) => `${a.section}:${a.text}`).sort();
    return { priya, lena, bo, space, doc, waiting };
  }

  it('asks the people @mentioned in Blocked on and Decisions needed, never the author herself', async () => {
    const { priya, lena, bo, waiting } = await setting();
    expect(await waiting(lena)).toEqual(['blocked:schema review @lena', 'decision:@lena: ship Friday?']);
    expect(await waiting(bo)).toEqual(['blocked:staging access @bo']);
    expect(await waiting(priya)).toEqual([]);
  });

  it('only the asked person can mark an item done; anyone else gets not found', async () => {
    const { lena, bo, doc, waiting } = await setting();
    await expect(markHandoffAskDone(app.deps, bo, doc, { section: 'blocked', text: 'schema review @lena' })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(markHandoffAskDone(app.deps, lena, doc, { section: 'decision', text: 'schema review @lena' })).rejects.toMatchObject({ kind: 'not_found' });
    await markHandoffAskDone(app.deps, lena, doc, { section: 'blocked', text: 'schema review @lena' });
    expect(await waiting(lena)).toEqual(['decision:@lena: ship Friday?']);
    await markHandoffAskDone(app.deps, lena, doc, { section: 'blocked', text: 'schema review @lena' });
  });

  it('a reply on the note or a revision by the asked person answers; a removed item stops asking; an edited one asks again', async () => {
    const { priya, lena, bo, doc, waiting } = await setting();
    const { thread } = await createThread(app.deps, priya, doc, { markdown: 'Any news?' });
    await addComment(app.deps, bo, doc, thread, 'Access granted.');
    expect(await waiting(bo)).toEqual([]);

    await updateDoc(app.deps, lena, doc, { title: 'Handoff (read by Lena)' });
    expect(await waiting(lena)).toEqual([]);

    const markdown = '## Blocked on\n\n- schema review @lena, again\n\n## Decisions needed\n\n- @lena: ship Friday?\n';
    await updateDoc(app.deps, priya, doc, { markdown });
    // The rewritten item asks anew; the untouched one stays answered.
    expect(await waiting(lena)).toEqual(['blocked:schema review @lena, again']);

    await updateDoc(app.deps, priya, doc, { markdown: '## Blocked on\n\n- nothing\n' });
    expect(await waiting(lena)).toEqual([]);
  });
});
