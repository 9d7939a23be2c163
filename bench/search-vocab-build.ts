/**
 * A child process of the search-vocabulary benchmark: builds one database with Handoff's embedded
 * engine (migrations applied), outside the server under test. Env: VOCAB_DB (the file),
 * VOCAB_PHASE (`corpus`: the generated documents; `words`: documents of distinct random words, at
 * most the engine's words per document each), VOCAB_DOCS, VOCAB_WORDS. Prints one JSON line.
 */
import { VOCAB_WORDS_PER_DOC } from '../apps/api/src/adapters/search/sqlite-search-index.ts';
import { rng } from './corpus.ts';
import { BATCH, type BenchDoc, corpusDocs, HandoffEngine } from './search-setup.ts';

const engine = await HandoffEngine.open(process.env.VOCAB_DB!);
const t0 = performance.now();
let docs = 0;
if (process.env.VOCAB_PHASE === 'corpus') {
  const all = corpusDocs('generated', Number(process.env.VOCAB_DOCS ?? 100_000));
  for (let i = 0; i < all.length; i += BATCH) await engine.insert(all.slice(i, i + BATCH), i + 1);
  docs = all.length;
} else {
  // Random words of 7–12 letters: distinct with near certainty (26^7 = 8 billion).
  const rand = rng(7);
  const word = () => {
    const len = 7 + Math.floor(rand() * 6);
    let w = '';
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + Math.floor(rand() * 26));
    return w;
  };
  const total = Number(process.env.VOCAB_WORDS ?? 1_000_000);
  const perDoc = VOCAB_WORDS_PER_DOC;
  const batch: BenchDoc[] = [];
  const flush = async () => {
    await engine.insert(batch.splice(0), 10_000_000 + docs);
  };
  for (let made = 0; made < total; made += perDoc) {
    const n = Math.min(perDoc, total - made);
    batch.push({ id: `noise-${docs}`, title: `Noise ${docs}`, text: Array.from({ length: n }, word).join(' '), spaceId: 'space-0' });
    docs++;
    if (batch.length >= 50) await flush();
  }
  if (batch.length) await flush();
}
const vocab = await engine.database.client.execute('SELECT count(*) FROM search_vocab');
console.log(JSON.stringify({ docs, seconds: (performance.now() - t0) / 1000, vocabulary: Number(vocab.rows[0]![0]) }));
engine.close();
