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
    await app.deps.db.run(sql`DELETE FROM maintenance_marks WHERE name = 'doc-links-backfill'`);

    const first = startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent, batch: 2 });
    expect(await first.done).toBe(6);
    expect(await app.deps.db.select().from(docLinks).all()).toHaveLength(5);

    const again = startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent, batch: 2 });
    expect(await again.done).toBe(0);
  });

  it('reads the documents once: after a run to its end, a graph still empty (nothing links) is not rescanned', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    for (let i = 0; i < 3; i++) await createDoc(app.deps, ada, { spaceId: space.id, title: `Doc ${i}`, markdown: 'No links here.' });
    await app.deps.db.run(sql`DELETE FROM maintenance_marks WHERE name = 'doc-links-backfill'`); // as before the first start

    expect(await startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent }).done).toBe(3);
    expect(await app.deps.db.select().from(docLinks).all()).toHaveLength(0);
    expect(await startDocLinksBackfill({ db: app.deps.db, clock: app.deps.clock, log: silent }).done).toBe(0);
  });
});
