import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { docLinks, sql } from '@handoff/db';
import { createDoc } from '../commands/create-doc.ts';
import { createSpace } from '../commands/create-space.ts';
import { commandTestApp, type CommandTestApp } from '../commands/testing/command-test-app.ts';
import { startDocLinksBackfill } from './doc-links-backfill.ts';

describe('startDocLinksBackfill', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const silent = { info() {}, error() {}, warn() {} } as never;

  it('refills an empty graph from every document, in batches, and does nothing once it has rows', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const target = (await createDoc(app.deps, ada, { spaceId: space.id, title: 'Target' })).doc;
    for (let i = 0; i < 5; i++) await createDoc(app.deps, ada, { spaceId: space.id, title: `Doc ${i}`, markdown: `[t](/docs/${target.id})` });
    await app.deps.db.run(sql`DELETE FROM doc_links`); // as written before the graph existed

    const first = startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent, batch: 2 });
    expect(await first.done).toBe(6);
    expect(await app.deps.db.select().from(docLinks).all()).toHaveLength(5);

    const again = startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent, batch: 2 });
    expect(await again.done).toBe(0);
  });
});
