import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { exportDoc, exportDocFile } from './export-doc.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('exportDoc', () => {
  it('puts the title (escaped) as the first heading and names the file safely', () => {
    expect(exportDoc({ title: 'Plan #2: *ship*', markdown: 'Body.\n' })).toEqual({ fileName: 'Plan-2-ship.md', body: '# Plan \\#2: \\*ship\\*\n\nBody.\n' });
    expect(exportDoc({ title: '→', markdown: '' })).toEqual({ fileName: 'document.md', body: '# →\n' });
  });
});

describe('exportDocFile', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('leaves comments out of the body by default and appends them with their quotes on request', async () => {
    const { ada, lena, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Is *Friday* firm?', anchor: { quote: 'Friday at noon' } });
    await addComment(app.deps, lena, doc, thread, 'Yes.\nSecond line.');
    const gone = await addComment(app.deps, lena, doc, thread, 'oops');
    await deleteComment(app.deps, lena, doc, gone);
    await setThreadResolution(app.deps, ada, doc, thread, 'resolved');
    await createThread(app.deps, lena, doc, { markdown: 'Whole page note' });

    const plain = await exportDocFile(app.deps, doc, { comments: false });
    expect(plain.body).toBe('# Plan\n\nWe ship on Friday at noon.\n\nRollback is manual.\n');

    const { body } = await exportDocFile(app.deps, doc, { comments: true });
    expect(body.startsWith(plain.body)).toBe(true);
    const appendix = body.slice(plain.body.length);
    expect(appendix).toContain('## Comments');
    expect(appendix).toContain('- **Resolved** · On\n  > Friday at noon');
    expect(appendix).toContain('ada (@ada)');
    expect(appendix).toContain('    Is *Friday* firm?');
    expect(appendix).toContain('    Yes.\n    Second line.');
    expect(appendix).toContain('*(deleted)*');
    expect(appendix).not.toContain('oops');
    expect(appendix).toContain('- **Open** · On the document');
  });
});
