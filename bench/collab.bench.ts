import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fmt, percentile, startChild } from './lib.ts';

interface Ready {
  port: number;
  token?: string;
  docs?: string[];
  seed?: string;
}

interface Target {
  name: string;
  url: string;
  /** The document of each round: a fresh copy of the same page every time. */
  doc: (round: number) => string;
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
  /** Per edit: until the sender's provider had the server's acknowledgement (unsyncedChanges back at 0). */
  ackP50: number;
  ackP99: number;
  lost: number;
}

interface Samples {
  deliveries: number[];
  all: number[];
  acks: number[];
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

function open(target: Target, name: string, seed: Uint8Array | null): Client {
  const doc = new Y.Doc();
  if (seed) Y.applyUpdate(doc, seed);
  const provider = new HocuspocusProvider({ url: target.url, name, token: target.token, document: doc, WebSocketPolyfill: WebSocket } as unknown as HocuspocusProviderConfiguration);
  return { provider, doc };
}

async function connectAll(target: Target, name: string): Promise<Client[]> {
  const first = open(target, name, target.seed);
  await until(() => first.provider.synced && first.provider.unsyncedChanges === 0, 10_000, 'the first client');
  const clients = [first];
  for (let i = 1; i < CLIENTS; i++) clients.push(open(target, name, null));
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
async function measure(clients: Client[], durationMs: number, out: Samples): Promise<{ edits: number; lost: number }> {
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
          out.deliveries.push(performance.now() - t0);
          r.doc.off('update', onUpdate);
          if (--remaining === 0) resolve();
        };
        r.doc.on('update', onUpdate);
        offs.push(() => r.doc.off('update', onUpdate));
      }
    });
    const acked = new Promise<void>((resolve) => {
      const onCount = ({ number }: { number: number }) => {
        if (number !== 0) return;
        out.acks.push(performance.now() - t0);
        sender.provider.off('unsyncedChanges', onCount);
        resolve();
      };
      sender.provider.on('unsyncedChanges', onCount);
      offs.push(() => sender.provider.off('unsyncedChanges', onCount));
    });
    t0 = performance.now();
    typeInto(sender.doc, edits);
    const timedOut = await Promise.race([Promise.all([done, acked]).then(() => false), sleep(5000).then(() => true)]);
    for (const off of offs) off();
    if (timedOut) lost += remaining;
    else out.all.push(performance.now() - t0);
    edits++;
    await sleep(2);
  }
  return { edits, lost };
}

async function closeAll(clients: Client[]) {
  for (const c of clients) c.provider.destroy();
  await sleep(300);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

function summarize(samples: Samples, edits: number, lost: number): FanOutResult {
  const s = sorted(samples.deliveries);
  const acks = sorted(samples.acks);
  return {
    edits,
    samples: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    allP99: percentile(sorted(samples.all), 99),
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
    lost,
  };
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
  // Never leave a server behind, even if the run dies on an exception.
  const killAll = () => children.forEach((child) => child.kill('SIGKILL'));
  process.once('exit', killAll);
  try {
    const ours = await startChild<Ready>(script);
    children.push(ours.child);
    const stock = await startChild<Ready>(script, { HANDOFF_COLLAB_BENCH_SERVER: 'stock' });
    children.push(stock.child);
    const targets: Target[] = [
      { name: 'Handoff /api/collab', url: `ws://127.0.0.1:${ours.info.port}/api/collab`, doc: (round) => ours.info.docs![round]!, token: ours.info.token!, seed: null },
      { name: 'stock @hocuspocus/server (peer)', url: `ws://127.0.0.1:${stock.info.port}`, doc: (round) => `page-${round}`, token: 'any', seed: new Uint8Array(Buffer.from(ours.info.seed!, 'base64')) },
    ];
    const acc = new Map(targets.map((t) => [t.name, { samples: { deliveries: [], all: [], acks: [] } as Samples, edits: 0, lost: 0, roundP99: [] as number[] }]));
    // Alternating rounds (A B B A A B …), so drift and neighbours' load hit both alike.
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 ? [...targets].reverse() : targets) {
        const clients = await connectAll(target, target.doc(round));
        await measure(clients, 300, { deliveries: [], all: [], acks: [] }); // warm-up
        const a = acc.get(target.name)!;
        const got: Samples = { deliveries: [], all: [], acks: [] };
        const r = await measure(clients, (seconds * 1000) / rounds, got);
        a.samples.deliveries.push(...got.deliveries);
        a.samples.all.push(...got.all);
        a.samples.acks.push(...got.acks);
        a.roundP99.push(percentile(sorted(got.deliveries), 99));
        a.edits += r.edits;
        a.lost += r.lost;
        await closeAll(clients);
      }
    }
    const results = Object.fromEntries(targets.map((t) => {
      const a = acc.get(t.name)!;
      return [t.name, summarize(a.samples, a.edits, a.lost)];
    }));
    const ourP99 = results[targets[0]!.name]!.p99;
    const peerP99 = results[targets[1]!.name]!.p99;
    const ratio = ourP99 / peerP99;
    const ourRounds = acc.get(targets[0]!.name)!.roundP99;
    const peerRounds = acc.get(targets[1]!.name)!.roundP99;
    const roundRatios = ourRounds.map((p, i) => p / peerRounds[i]!);
    console.log(`\n## Collaboration: update fan-out, ${CLIENTS} provider clients on one document (loopback)`);
    console.log('| server | edits | deliveries | p50 ms | p95 ms | p99 ms | all 49 p99 ms | ack p50 ms | ack p99 ms | lost |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const t of [...targets].reverse()) {
      const r = results[t.name]!;
      console.log(
        `| ${t.name} | ${r.edits} | ${r.samples} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.allP99, 2)} | ${fmt(r.ackP50, 2)} | ${fmt(r.ackP99, 2)} | ${r.lost} |`,
      );
    }
    console.log(
      `\nHandoff's fan-out p99 at ${fmt(ratio, 2)}× the stock server's (goal ≤ 1.50×: ${ratio <= 1.5 ? 'met' : 'NOT met'}); ` +
        `round by round: ${roundRatios.map((r) => fmt(r, 2)).join(', ')}×. Handoff stores each update (fsync) before it is applied, broadcast or acknowledged; the peer stores nothing.`,
    );
    return { clients: CLIENTS, results, ratio, roundRatios };
  } finally {
    process.removeListener('exit', killAll);
    for (const child of children) child.kill('SIGTERM');
  }
}
