import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fmt, startChild } from './lib.ts';

interface Ready {
  port: number;
  token: string;
  docs: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITERS = 4;

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`collab throughput bench: timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Types into the first paragraph, as Lexical's Yjs binding lays it out. */
function typeOne(doc: Y.Doc) {
  const block = doc
    .get('root', Y.XmlText)
    .toDelta()
    .map((d: { insert: unknown }) => d.insert)
    .find((x: unknown): x is Y.XmlText => x instanceof Y.XmlText)!;
  block.insert(block.length, 'x');
}

/**
 * One editor types one character at a time and waits for the server's acknowledgement (stored,
 * applied, acknowledged) before the next: acknowledged updates per second on that socket.
 */
async function typeAndAck(url: string, token: string, docId: string, ms: number): Promise<number> {
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({ url, name: docId, token, document: doc, WebSocketPolyfill: WebSocket } as unknown as HocuspocusProviderConfiguration);
  try {
    await until(() => provider.synced && provider.unsyncedChanges === 0, 10_000, 'sync');
    const deadline = performance.now() + ms;
    const started = performance.now();
    let acked = 0;
    while (performance.now() < deadline) {
      typeOne(doc);
      await until(() => provider.unsyncedChanges === 0, 30_000, 'an acknowledgement');
      acked++;
    }
    return acked / ((performance.now() - started) / 1000);
  } finally {
    provider.destroy();
  }
}

/** REST writers: each PATCHes its own document in a loop (alternating bodies) until stopped. */
function startWriters(base: string, token: string, docs: string[]) {
  let running = true;
  let patches = 0;
  let failures = 0;
  const loops = docs.map(async (docId, w) => {
    for (let i = 0; running; i++) {
      const markdown = Array.from({ length: 20 }, (_, k) => `Writer ${w} paragraph ${k}, pass ${i % 2 ? 'odd' : 'even'}: the release plan moves to Monday.`).join('\n\n');
      try {
        const res = await fetch(`${base}/api/docs/${docId}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ markdown }),
        });
        await res.arrayBuffer();
        if (res.ok) patches++;
        else failures++;
      } catch {
        failures++;
      }
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { patches, failures };
    },
  };
}

/**
 * Collaboration throughput under REST load: acknowledged updates/s on one socket, alone and with 4
 * REST writers PATCHing other documents in a loop (they share the database write gate), in
 * alternating rounds. Goal: with writers ≥ 0.5× without.
 */
export async function runCollabThroughputBench(seconds: number) {
  const script = fileURLToPath(new URL('./collab-server.ts', import.meta.url));
  const children: ChildProcess[] = [];
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killAll);
  try {
    const ours = await startChild<Ready>(script);
    children.push(ours.child);
    const { port, token, docs } = ours.info;
    const url = `ws://127.0.0.1:${port}/api/collab`;
    const base = `http://127.0.0.1:${port}`;
    const typed = docs[docs.length - 1]!;
    const writerDocs = docs.slice(docs.length - 1 - WRITERS, docs.length - 1);
    await typeAndAck(url, token, typed, 500); // warm-up
    const alone: number[] = [];
    const loaded: number[] = [];
    let patches = 0;
    let failures = 0;
    const rounds = 4;
    const ms = Math.max(1000, (seconds * 1000) / (2 * rounds));
    for (let round = 0; round < rounds; round++) {
      for (const withWriters of round % 2 ? [true, false] : [false, true]) {
        if (!withWriters) {
          alone.push(await typeAndAck(url, token, typed, ms));
          continue;
        }
        const writers = startWriters(base, token, writerDocs);
        await sleep(200);
        loaded.push(await typeAndAck(url, token, typed, ms));
        const w = await writers.stop();
        patches += w.patches;
        failures += w.failures;
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const without = mean(alone);
    const withW = mean(loaded);
    const ratio = withW / without;
    console.log(`\n## Collaboration: acknowledged updates/s on one socket, with and without ${WRITERS} REST writers (loopback)`);
    console.log('| load | acked updates/s (mean) | per round |');
    console.log('| --- | ---: | --- |');
    console.log(`| no REST writers | ${fmt(without, 1)} | ${alone.map((x) => fmt(x, 0)).join(', ')} |`);
    console.log(`| ${WRITERS} REST writers PATCHing other documents | ${fmt(withW, 1)} | ${loaded.map((x) => fmt(x, 0)).join(', ')} |`);
    console.log(
      `\nWith writers at ${fmt(ratio, 2)}× without (goal ≥ 0.50×: ${ratio >= 0.5 ? 'met' : 'NOT met'}); ` +
        `the writers made ${patches} PATCHes (${failures} failed). Each update is stored (group commit) before it is acknowledged.`,
    );
    return { writers: WRITERS, withoutWriters: without, withWriters: withW, ratio, rounds: { alone, loaded }, patches, failures };
  } finally {
    process.removeListener('exit', killAll);
    for (const child of children) child.kill('SIGTERM');
  }
}
