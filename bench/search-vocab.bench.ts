/**
 * Search vocabulary (issue 8): the real server (`node --import tsx apps/api/src/index.ts`, demo
 * workspace seeded) on three databases built beforehand by `search-vocab-build.ts`:
 *   empty    a fresh database (the floor of restart time and memory)
 *   corpus   HANDOFF_BENCH_DOCS generated documents (default 100,000) — the peer
 *   + words  the same plus 1,000,000 distinct random words (HANDOFF_BENCH_VOCAB_WORDS), in
 *            documents of at most the engine's words per document
 * For each: the time from spawning the server to its health answer and to its first answered
 * search (log-in included), then its RSS after 100 typo and prefix searches. Goals: the extra
 * words add ≤ 64 MB resident (RSS of "+ words" minus "corpus"); restart to first search ≤ 5 s.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  healthyMs: number;
  firstSearchMs: number;
  rssMB: number;
  vocabulary?: number;
}

function build(db: string, phase: 'corpus' | 'words', env: Record<string, string>): Promise<{ docs: number; seconds: number; vocabulary: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./search-vocab-build.ts', import.meta.url))], {
      env: { ...process.env, VOCAB_DB: db, VOCAB_PHASE: phase, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`build ${phase} exited with ${code}`))));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

const rssOf = (pid: number) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the server on `db`, times its first health answer and first search, then reads its RSS. */
async function serve(db: string): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${db}`, HANDOFF_DEMO: '1', HANDOFF_LOG_LEVEL: 'warn' };
  delete env.NODE_ENV;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/index.ts'], { cwd: ROOT, env, stdio: 'ignore', detached: true });
  try {
    let healthyMs = 0;
    for (;;) {
      const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (performance.now() - t0 > 120_000) throw new Error(`server on ${db} did not start`);
      await sleep(20);
    }
    healthyMs = performance.now() - t0;
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'lena@handoff.demo', password: 'handoff-demo-2026' }) });
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const search = async (q: string) => {
      const res = await fetch(`${url}/api/search?q=${encodeURIComponent(q)}`, { headers });
      if (res.status !== 200) throw new Error(`search ${q}: ${res.status}`);
      await res.arrayBuffer();
    };
    await search('relese ');
    const firstSearchMs = performance.now() - t0;
    const words = ['release', 'meeting', 'decision', 'project', 'schedule', 'question', 'network', 'message', 'support', 'problem'];
    for (let i = 0; i < 100; i++) {
      const w = words[i % words.length]!;
      await search(i % 2 ? `${w.slice(0, 2)}x${w.slice(3)} ` : w.slice(0, 2 + (i % 4)));
    }
    await sleep(500);
    return { healthyMs, firstSearchMs, rssMB: rssOf(child.pid!) };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  }
}

export async function runSearchVocabBench() {
  const docs = Number(process.env.HANDOFF_BENCH_DOCS ?? 100_000);
  const words = Number(process.env.HANDOFF_BENCH_VOCAB_WORDS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'handoff-bench-vocab-'));
  try {
    console.log(`\n## Search vocabulary: ${docs.toLocaleString('en-US')} generated documents + ${words.toLocaleString('en-US')} distinct random words\n`);
    const corpusDb = join(dir, 'corpus.db');
    const built = await build(corpusDb, 'corpus', { VOCAB_DOCS: String(docs) });
    const wordsDb = join(dir, 'words.db');
    for (const s of ['', '-wal', '-shm']) if (existsSync(corpusDb + s)) copyFileSync(corpusDb + s, wordsDb + s);
    const added = await build(wordsDb, 'words', { VOCAB_WORDS: String(words) });
    console.log(`built: corpus ${fmt(built.seconds)} s (${built.vocabulary.toLocaleString('en-US')} vocabulary words), random words ${fmt(added.seconds)} s (${added.vocabulary.toLocaleString('en-US')} vocabulary words)`);
    const runs: Record<string, Run> = {};
    // Each database twice, alternating, so that the machine's other load weighs on all alike.
    const dbs: Array<[string, string]> = [
      ['empty', join(dir, 'empty.db')],
      ['corpus', corpusDb],
      ['+ words', wordsDb],
    ];
    const best: Record<string, Run[]> = {};
    for (let round = 0; round < 2; round++) {
      for (const [name, db] of round % 2 ? [...dbs].reverse() : dbs) (best[name] ??= []).push(await serve(db));
    }
    for (const [name] of dbs) {
      const r = best[name]!;
      runs[name] = { healthyMs: Math.min(...r.map((x) => x.healthyMs)), firstSearchMs: Math.min(...r.map((x) => x.firstSearchMs)), rssMB: Math.min(...r.map((x) => x.rssMB)) };
    }
    runs.corpus!.vocabulary = built.vocabulary;
    runs['+ words']!.vocabulary = added.vocabulary;
    console.log('| database | vocabulary words | start → health (s) | start → first search (s) | RSS after 100 searches (MB) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name] of dbs) {
      const r = runs[name]!;
      console.log(`| ${name} | ${(r.vocabulary ?? 0).toLocaleString('en-US')} | ${fmt(r.healthyMs / 1000, 2)} | ${fmt(r.firstSearchMs / 1000, 2)} | ${fmt(r.rssMB)} |`);
    }
    const extra = runs['+ words']!.rssMB - runs.corpus!.rssMB;
    console.log(`\nThe extra words add ${fmt(extra)} MB resident (goal ≤ 64 MB); restart to first search ${fmt(runs['+ words']!.firstSearchMs / 1000, 2)} s (goal ≤ 5 s; empty database ${fmt(runs.empty!.firstSearchMs / 1000, 2)} s). Best of 2 runs each.`);
    return { docs, words, build: { corpus: built, words: added }, runs, extraRssMB: extra };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
