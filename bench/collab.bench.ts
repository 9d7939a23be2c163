import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fmt, percentile, startChild } from './lib.ts';

interface Ready {
  port: number;
  token?: string;
  doc?: string;
  seed?: string;
}

interface Target {
  name: string;
  url: string;
  doc: string;
  token: string;
  /** The stock server starts empty: the first client brings the same page (ours is seeded by the server). */
  seed: Uint8Array | null;
}

interface Client {
  provider: HocuspocusProvider;
  doc: Y.Doc;
}

export interface FanOutResult {
  edits: number;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  /** Per edit: until the last of the 49 other clients had it. */
  allP99: number;
  lost: number;
}

const CLIENTS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`collab bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

function open(target: Target, seed: Uint8Array | null): Client {
  const doc = new Y.Doc();
  if (seed) Y.applyUpdate(doc, seed);
  const provider = new HocuspocusProvider({ url: target.url, name: target.doc, token: target.token, document: doc, WebSocketPolyfill: WebSocket } as unknown as HocuspocusProviderConfiguration);
  return { provider, doc };
}

async function connectAll(target: Target): Promise<Client[]> {
  const first = open(target, target.seed);
  await until(() => first.provider.synced && first.provider.unsyncedChanges === 0, 10_000, 'the first client');
  const clients = [first];
  for (let i = 1; i < CLIENTS; i++) clients.push(open(target, null));
  await until(() => clients.every((c) => c.provider.synced), 20_000, `${CLIENTS} clients to sync`);
  const vector = Buffer.from(Y.encodeStateVector(first.doc)).toString('hex');
  await until(() => clients.every((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex') === vector), 10_000, 'every client to have the page');
  return clients;
}

/** Types one character at the end of paragraph `k`, as Lexical's Yjs binding lays a paragraph out. */
function typeInto(doc: Y.Doc, k: number) {
  const blocks = doc
    .get('root', Y.XmlText)
    .toDelta()
    .map((d: { insert: unknown }) => d.insert)
    .filter((x: unknown): x is Y.XmlText => x instanceof Y.XmlText);
  const block = blocks[k % blocks.length]!;
  block.insert(block.length, 'x');
}

/**
 * Sequential edits, each by the next client in turn; the latency of an edit at each of the other 49
 * clients is the time from the sender's change to the receiver's Y.Doc applying it.
 */
async function measure(clients: Client[], durationMs: number, samples: number[], all: number[]): Promise<{ edits: number; lost: number }> {
  const deadline = performance.now() + durationMs;
  let edits = 0;
  let lost = 0;
  while (performance.now() < deadline) {
    const sender = clients[edits % clients.length]!;
    const receivers = clients.filter((c) => c !== sender);
    let remaining = receivers.length;
    let t0 = 0;
    const offs: Array<() => void> = [];
    const done = new Promise<void>((resolve) => {
      for (const r of receivers) {
        const onUpdate = (_u: Uint8Array, origin: unknown) => {
          if (origin !== r.provider) return;
          samples.push(performance.now() - t0);
          r.doc.off('update', onUpdate);
          if (--remaining === 0) resolve();
        };
        r.doc.on('update', onUpdate);
        offs.push(() => r.doc.off('update', onUpdate));
      }
    });
    t0 = performance.now();
    typeInto(sender.doc, edits);
    const timedOut = await Promise.race([done.then(() => false), sleep(5000).then(() => true)]);
    for (const off of offs) off();
    if (timedOut) lost += remaining;
    else all.push(performance.now() - t0);
    edits++;
    await sleep(2);
  }
  return { edits, lost };
}

async function closeAll(clients: Client[]) {
  for (const c of clients) c.provider.destroy();
  await sleep(300);
}

function summarize(samples: number[], all: number[], edits: number, lost: number): FanOutResult {
  const s = [...samples].sort((a, b) => a - b);
  const a = [...all].sort((x, y) => x - y);
  return { edits, samples: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), allP99: percentile(a, 99), lost };
}

/**
 * Update fan-out latency with 50 provider clients on one document: Handoff's /api/collab (which
 * stores every update before it is broadcast) beside a stock @hocuspocus/server with no extensions,
 * each in its own process, measured in alternating rounds of the same run.
 * Goal: p99 ≤ 1.5× the stock server's.
 */
export async function runCollabBench(seconds: number) {
  const script = fileURLToPath(new URL('./collab-server.ts', import.meta.url));
  const children: ChildProcess[] = [];
  try {
    const ours = await startChild<Ready>(script);
    children.push(ours.child);
    const stock = await startChild<Ready>(script, { HANDOFF_COLLAB_BENCH_SERVER: 'stock' });
    children.push(stock.child);
    const targets: Target[] = [
      { name: 'Handoff /api/collab', url: `ws://127.0.0.1:${ours.info.port}/api/collab`, doc: ours.info.doc!, token: ours.info.token!, seed: null },
      { name: 'stock @hocuspocus/server (peer)', url: `ws://127.0.0.1:${stock.info.port}`, doc: 'bench', token: 'any', seed: new Uint8Array(Buffer.from(ours.info.seed!, 'base64')) },
    ];
    const acc = new Map(targets.map((t) => [t.name, { samples: [] as number[], all: [] as number[], edits: 0, lost: 0, roundP99: [] as number[] }]));
    // Alternating rounds (A B B A A B …), so drift and neighbours' load hit both alike.
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 ? [...targets].reverse() : targets) {
        const clients = await connectAll(target);
        await measure(clients, 300, [], []); // warm-up
        const a = acc.get(target.name)!;
        const samples: number[] = [];
        const r = await measure(clients, (seconds * 1000) / rounds, samples, a.all);
        a.samples.push(...samples);
        a.roundP99.push(percentile(samples.sort((x, y) => x - y), 99));
        a.edits += r.edits;
        a.lost += r.lost;
        await closeAll(clients);
        // The stock server drops a document once everyone left; the next round starts from the page again.
        if (target.seed) target.doc = `bench-${round + 1}`;
      }
    }
    const results = Object.fromEntries(targets.map((t) => {
      const a = acc.get(t.name)!;
      return [t.name, summarize(a.samples, a.all, a.edits, a.lost)];
    }));
    const ourP99 = results[targets[0]!.name]!.p99;
    const peerP99 = results[targets[1]!.name]!.p99;
    const ratio = ourP99 / peerP99;
    const ourRounds = acc.get(targets[0]!.name)!.roundP99;
    const peerRounds = acc.get(targets[1]!.name)!.roundP99;
    const roundRatios = ourRounds.map((p, i) => p / peerRounds[i]!).sort((x, y) => x - y);
    console.log(`\n## Collaboration: update fan-out, ${CLIENTS} provider clients on one document (loopback)`);
    console.log('| server | edits | deliveries | p50 ms | p95 ms | p99 ms | all 49 p99 ms | lost |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const t of [...targets].reverse()) {
      const r = results[t.name]!;
      console.log(`| ${t.name} | ${r.edits} | ${r.samples} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.allP99, 2)} | ${r.lost} |`);
    }
    console.log(`\nHandoff's fan-out p99 at ${fmt(ratio, 2)}× the stock server's (goal ≤ 1.50×: ${ratio <= 1.5 ? 'met' : 'NOT met'}); per round: ${roundRatios.map((r) => fmt(r, 2)).join(', ')}×.`);
    return { clients: CLIENTS, results, ratio, roundRatios };
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
