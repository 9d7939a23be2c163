/**
 * Relevance on real text that none of us wrote: the SpamAssassin ham mails (subjects as titles)
 * indexed in Handoff's embedded engine and in MiniSearch. For a seeded sample of documents, a
 * known-item query is made from each document's own distinctive words (2–3 words that are not stop
 * words and appear in between 2 and 40 of the ~4,150 mails), once as written and once with one
 * typing error (one edit in a word of five letters or more, giving a string no mail contains).
 * Success@5: the intended document is among the first five hits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@handoff/db';
import { SqliteSearchIndex } from '../../apps/api/src/adapters/search/sqlite-search-index.ts';
import { between, loadHamMails, oneEdit, pick, rng, STOP_WORDS, type Mail } from '../../bench/corpus.ts';

const SAMPLE = 300;
const SEED = 20261128;
const MIN_DF = 2;
const MAX_DF = 40;

interface KnownItem {
  id: string;
  words: string[];
  typo: string[];
}

const ascii = (text: string) => text.toLowerCase().match(/[a-z]+/g) ?? [];
const typoBudget = (t: string) => (t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0);

function knownItems(mails: Mail[]): KnownItem[] {
  const df = new Map<string, number>();
  for (const m of mails) for (const w of new Set(ascii(`${m.title} ${m.text}`))) df.set(w, (df.get(w) ?? 0) + 1);
  const rand = rng(SEED);
  const items: KnownItem[] = [];
  const used = new Set<string>();
  while (items.length < SAMPLE) {
    const mail = pick(rand, mails);
    if (used.has(mail.id)) continue;
    used.add(mail.id);
    const candidates = [...new Set(ascii(`${mail.title} ${mail.text}`))].filter((w) => w.length >= 4 && !STOP_WORDS.has(w) && df.get(w)! >= MIN_DF && df.get(w)! <= MAX_DF);
    const n = between(rand, 2, 3);
    if (candidates.length < n || !candidates.some((w) => w.length >= 5)) continue;
    const words: string[] = [];
    while (words.length < n) {
      const w = pick(rand, candidates);
      if (!words.includes(w)) words.push(w);
    }
    if (!words.some((w) => w.length >= 5)) words[0] = pick(rand, candidates.filter((w) => w.length >= 5 && !words.includes(w)));
    const long = words.filter((w) => w.length >= 5);
    const target = pick(rand, long);
    let typo = '';
    for (let tries = 0; tries < 50 && (!typo || df.has(typo)); tries++) typo = oneEdit(target, rand);
    items.push({ id: mail.id, words, typo: words.map((w) => (w === target ? typo : w)) });
  }
  return items;
}

describe('relevance on the SpamAssassin ham mails (known-item search, success@5)', () => {
  let dir: string;
  let database: Database;
  let handoff: SqliteSearchIndex;
  let mini: MiniSearch<Mail>;
  let items: KnownItem[];

  beforeAll(async () => {
    const mails = loadHamMails();
    dir = mkdtempSync(join(tmpdir(), 'handoff-relevance-'));
    database = await openDatabase(`file:${join(dir, 'h.db')}`);
    handoff = new SqliteSearchIndex(database.client);
    await handoff.setup();
    for (let i = 0; i < mails.length; i += 500) {
      await handoff.upsert(
        mails.slice(i, i + 500).map((m, j) => ({ docId: m.id, spaceId: 'ham', kind: 'page', title: m.title, text: m.text, authors: [], updatedAt: i + j, revision: 1 })),
      );
    }
    mini = new MiniSearch<Mail>({ fields: ['title', 'text'] });
    mini.addAll(mails);
    items = knownItems(mails);
  });

  afterAll(() => {
    database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the intended mail in the top 5 as often as MiniSearch, with and without a typo', async () => {
    const successes = { handoff: { exact: 0, typo: 0 }, mini: { exact: 0, typo: 0 } };
    for (const item of items) {
      for (const variant of ['exact', 'typo'] as const) {
        const words = variant === 'exact' ? item.words : item.typo;
        // A trailing space: the words are finished (the last one is not a prefix being typed).
        const ours = await handoff.search({ q: `${words.join(' ')} `, spaceIds: ['ham'], limit: 5 });
        if (ours.hits.some((h) => h.docId === item.id)) successes.handoff[variant]++;
        const theirs = mini.search(words.join(' '), { boost: { title: 10 }, combineWith: 'AND', fuzzy: variant === 'typo' ? typoBudget : false });
        if (theirs.slice(0, 5).some((r) => r.id === item.id)) successes.mini[variant]++;
      }
    }
    const rate = (n: number) => n / items.length;
    const table = [
      '| engine | success@5 as written | success@5 with one typo |',
      '| --- | ---: | ---: |',
      `| Handoff (SQLite FTS5) | ${rate(successes.handoff.exact).toFixed(3)} | ${rate(successes.handoff.typo).toFixed(3)} |`,
      `| MiniSearch 7.2 | ${rate(successes.mini.exact).toFixed(3)} | ${rate(successes.mini.typo).toFixed(3)} |`,
    ].join('\n');
    console.log(`\nKnown-item search on ${items.length} SpamAssassin ham mails (seed ${SEED}):\n${table}\n`);
    // Measured with this corpus and seed: Handoff 0.980 / 0.977, MiniSearch 0.960 / 0.857 (its best
    // settings here: AND, the same typo budget; OR, or fuzzy 0.2, do no better). The floors sit a
    // little below ours, and above the 0.8 / 0.6.
    expect(rate(successes.handoff.exact)).toBeGreaterThanOrEqual(0.95);
    expect(rate(successes.handoff.typo)).toBeGreaterThanOrEqual(0.95);
    expect(rate(successes.handoff.exact)).toBeGreaterThanOrEqual(rate(successes.mini.exact) - 0.05);
    expect(rate(successes.handoff.typo)).toBeGreaterThanOrEqual(rate(successes.mini.typo) - 0.05);
  });
});
