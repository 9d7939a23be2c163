import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { asc, desc, documents, eq, gt, isNull, outbox, spaces, users } from '@handoff/db';
import { isTimeZone } from '@handoff/shared/schemas';
import { loadConfig } from '../config.ts';
import { createDeps } from '../server.ts';
import { createUser } from '../commands/create-user.ts';
import type { ImportFile } from '../domain/import-markdown.ts';
import { importFiles } from '../commands/import-docs.ts';
import { exportSpace } from '../commands/export-space.ts';
import type { Deps } from '../context.ts';
import { loadIndexedDocs } from '../jobs/search-indexer.ts';
import { holdOutbox } from '../jobs/outbox-pruner.ts';
import { refillAllDocLinks } from '../jobs/doc-links-backfill.ts';
import type { UserRow } from '../domain/model.ts';
import { randomBytes } from 'node:crypto';

/**
 * The Handoff command line. It works on the database directly (DATABASE_URL, default
 * ./data/handoff.db), acting as the person given by --as (default: the first admin).
 */
const program = new Command('handoff').description('Handoff command line: import, export and people.');

async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = await createDeps({ ...loadConfig(), logLevel: 'silent' });
  try {
    return await fn(deps);
  } finally {
    deps.database.close();
  }
}

async function actor(deps: Deps, email?: string): Promise<UserRow> {
  const row = email
    ? await deps.db.select().from(users).where(eq(users.email, email.toLowerCase())).get()
    : await deps.db.select().from(users).where(eq(users.role, 'admin')).orderBy(asc(users.createdAt)).get();
  if (!row) throw new Error(email ? `No user with the email ${email}.` : 'There is no admin yet: run `handoff create-user --admin` first.');
  return row;
}

async function findSpace(deps: Deps, nameOrId: string) {
  const all = await deps.db.select().from(spaces).all();
  const found = all.find((s) => s.id === nameOrId) ?? all.filter((s) => s.name.toLowerCase() === nameOrId.toLowerCase())[0];
  if (!found) throw new Error(`No space named or with the id "${nameOrId}". Spaces: ${all.map((s) => s.name).join(', ') || 'none'}.`);
  return found;
}

async function markdownFilesIn(root: string): Promise<ImportFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: ImportFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !/\.(md|markdown)$/i.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    const path = relative(root, full).split(sep);
    if (path.some((p) => p.startsWith('.') || p === 'node_modules')) continue;
    files.push({ path, markdown: await readFile(full, 'utf8') });
  }
  return files;
}

/** Runs `work` with a progress bar that is always stopped, even on failure (its timer would keep the process alive). */
async function withProgress<T>(label: string, total: number, work: (update: (n: number) => void) => Promise<T>): Promise<T> {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  try {
    return await work((n) => bar.update(n));
  } finally {
    bar.stop();
  }
}

program
  .command('import')
  .description('Import a folder of Markdown files into a space; sub-folders become nested documents.')
  .argument('<folder>', 'the folder to import')
  .requiredOption('-s, --space <space>', 'space name or id')
  .option('--as <email>', 'the person the documents are created by (default: the first admin)')
  .action(async (folder: string, opts: { space: string; as?: string }) => {
    await withDeps(async (deps) => {
      const who = await actor(deps, opts.as);
      const space = await findSpace(deps, opts.space);
      const files = await markdownFilesIn(resolve(folder));
      if (!files.length) throw new Error(`No .md files in ${folder}.`);
      const created = await withProgress('Importing', files.length, (update) =>
        importFiles(deps, who, { spaceId: space.id, parentId: null }, files, (done) => update(done)),
      );
      console.log(`Imported ${files.length} files as ${created.length} documents into "${space.name}".`);
    });
  });

program
  .command('export')
  .description('Export a space as a folder of Markdown files (a document with children becomes a folder with an index.md).')
  .requiredOption('-s, --space <space>', 'space name or id')
  .requiredOption('-o, --out <folder>', 'where to write')
  .action(async (opts: { space: string; out: string }) => {
    await withDeps(async (deps) => {
      const space = await findSpace(deps, opts.space);
      const files = await exportSpace(deps, space.id);
      const out = resolve(opts.out);
      await mkdir(out, { recursive: true });
      await withProgress('Exporting', files.length, async (update) => {
        let done = 0;
        for (const file of files) {
          await mkdir(join(out, ...file.path.slice(0, -1)), { recursive: true });
          await writeFile(join(out, ...file.path), file.body);
          update(++done);
        }
      });
      console.log(`Exported ${files.length} documents of "${space.name}" to ${resolve(opts.out)}.`);
    });
  });

const handleArg = (v: string) => {
  if (!/^[a-z0-9][a-z0-9_.-]{1,31}$/.test(v)) throw new InvalidArgumentError('2–32 characters of a-z, 0-9, _ . -');
  return v;
};
const tzArg = (v: string) => {
  if (!isTimeZone(v)) throw new InvalidArgumentError('an IANA time zone such as Europe/Berlin');
  return v;
};

program
  .command('create-user')
  .description('Create a person (prints a generated password unless --password is given).')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .requiredOption('--handle <handle>', 'for @mentions', handleArg)
  .option('--timezone <tz>', 'IANA time zone', tzArg, 'UTC')
  .option('--password <password>', 'at least 10 characters')
  .option('--admin', 'make them a workspace admin', false)
  .action(async (opts: { email: string; name: string; handle: string; timezone: string; password?: string; admin: boolean }) => {
    const password = opts.password ?? randomBytes(12).toString('base64url');
    if (password.length < 10) throw new Error('The password must have at least 10 characters.');
    await withDeps(async (deps) => {
      const user = await createUser(deps, {
        email: opts.email.toLowerCase(),
        name: opts.name,
        handle: opts.handle,
        password,
        timezone: opts.timezone,
        ...(opts.admin ? { role: 'admin' as const } : {}),
      });
      console.log(`Created ${user.name} <${user.email}> (@${user.handle}, ${user.role}).`);
      if (!opts.password) console.log(`Password: ${password}`);
    });
  });

program
  .command('reindex')
  .description('Rebuild the search index from the database (for Meilisearch: a new index, swapped in, then what changed meanwhile is replayed).')
  .option('--batch <n>', 'documents per batch', (v) => Number(v), 500)
  .action(async (opts: { batch: number }) => {
    await withDeps(async (deps) => {
      const ids = (await deps.db.select({ id: documents.id }).from(documents).where(isNull(documents.trashedAt)).all()).map((d) => d.id);
      const startedAt = await outboxHead(deps);
      // Keep the rows written during the rebuild from the outbox pruner until they are replayed.
      const release = await holdOutbox(deps.db, 'reindex', startedAt, deps.clock);
      try {
        async function* batches() {
          for (let i = 0; i < ids.length; i += opts.batch) yield (await loadIndexedDocs(deps.db, ids.slice(i, i + opts.batch))).docs;
        }
        await deps.search.setup();
        await withProgress('Reindexing', ids.length, (update) => deps.search.rebuild(batches(), update));
        // Replay what changed while the rebuild ran (the live indexer may have written to the old index).
        const changed = await deps.db.select({ docId: outbox.docId }).from(outbox).where(gt(outbox.id, startedAt)).all();
        const replay = [...new Set(changed.map((c) => c.docId).filter((d): d is string => !!d))];
        const { docs, gone } = await loadIndexedDocs(deps.db, replay);
        await deps.search.upsert(docs);
        await deps.search.remove(gone);
        console.log(`Reindexed ${ids.length} documents into the ${deps.search.engine} engine${replay.length ? `, then replayed ${replay.length} changed meanwhile` : ''}.`);
        const linked = await refillAllDocLinks(deps.db, deps.clock, { batch: opts.batch });
        console.log(`Refilled the doc-link graph of ${linked} documents.`);
      } finally {
        await release();
      }
    });
  });

program
  .command('reconcile')
  .description('Compare the search index with the database and report drift (missing, stale or extra documents). Exits 1 on drift.')
  .action(async () => {
    await withDeps(async (deps) => {
      const rows = await deps.db.select({ id: documents.id, revision: documents.revision }).from(documents).where(isNull(documents.trashedAt)).all();
      const indexed = await deps.search.indexedRevisions();
      const missing = rows.filter((r) => !indexed.has(r.id)).map((r) => r.id);
      const stale = rows.filter((r) => indexed.has(r.id) && indexed.get(r.id) !== r.revision).map((r) => r.id);
      const live = new Set(rows.map((r) => r.id));
      const extra = [...indexed.keys()].filter((id) => !live.has(id));
      const backlog = await deps.searchIndexer.backlog();
      console.log(`Search index (${deps.search.engine}): ${indexed.size} indexed, ${rows.length} in the database; missing ${missing.length}, stale ${stale.length}, extra ${extra.length}; outbox backlog ${backlog}.`);
      for (const [label, list] of [['missing', missing], ['stale', stale], ['extra', extra]] as const) if (list.length) console.log(`  ${label}: ${list.slice(0, 20).join(', ')}${list.length > 20 ? ' …' : ''}`);
      if (missing.length + stale.length + extra.length > 0) {
        console.log('Run `npx handoff reindex` to repair (or let the indexer catch up if the backlog is not empty).');
        process.exitCode = 1;
      }
    });
  });

async function outboxHead(deps: Deps): Promise<number> {
  const row = await deps.db.select({ id: outbox.id }).from(outbox).orderBy(desc(outbox.id)).limit(1).get();
  return row?.id ?? 0;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`handoff: ${(err as Error).message}`);
  process.exitCode = 1;
}
