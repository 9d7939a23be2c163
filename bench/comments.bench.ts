import { fileURLToPath } from 'node:url';
import { fmt, percentile, startChild } from './lib.ts';

interface Ready {
  port: number;
  token: string;
  doc: string;
  replyThread: string;
  threads: number;
  comments: number;
}

interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  bytes: number;
}

/** Sends `request()` one after another for `seconds` and times each round trip (ms). */
async function timed(seconds: number, request: (i: number) => Promise<Response>): Promise<Latency> {
  const samples: number[] = [];
  let bytes = 0;
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    const started = performance.now();
    const res = await request(i);
    const body = await res.arrayBuffer();
    samples.push(performance.now() - started);
    if (!res.ok) throw new Error(`${res.status}: ${new TextDecoder().decode(body).slice(0, 300)}`);
    bytes = body.byteLength;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: samples.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: samples.reduce((s, x) => s + x, 0) / samples.length,
    bytes,
  };
}

/**
 * Comments (issue 10, GOALS.md): (a) listing the threads of a document with 500 threads and 5,000
 * comments — every anchor resolved against the current body — p95 ≤ 50 ms, beside the floor of
 * reading the same rows with one raw SQL query in which SQLite serializes them to JSON (and, for
 * context, a bare route sending the same bytes as the listing); (b) adding a comment costs
 * ≤ 2× a `PATCH /api/me` round trip (a write of similar size) on the same server. Requests are sent
 * one at a time over loopback (round-trip latency, not throughput), all to one child process.
 */
export async function runCommentsBench(seconds: number) {
  const { info, child } = await startChild<Ready>(fileURLToPath(new URL('./comments-server.ts', import.meta.url)));
  try {
    const base = `http://127.0.0.1:${info.port}`;
    const auth = { authorization: `Bearer ${info.token}` };
    const write = { ...auth, 'content-type': 'application/json' };
    const list = () => fetch(`${base}/api/docs/${info.doc}/threads`, { headers: auth });
    const floor = () => fetch(`${base}/bench/threads-floor`);
    const sameBytes = () => fetch(`${base}/bench/same-bytes`);
    const reply = (i: number) =>
      fetch(`${base}/api/threads/${info.replyThread}/comments`, {
        method: 'POST',
        headers: write,
        body: JSON.stringify({ markdown: `Agreed, ship it after the review (${i}). One question on the rollout order, see above.` }),
      });
    const profile = (i: number) =>
      fetch(`${base}/api/me`, { method: 'PATCH', headers: write, body: JSON.stringify({ name: `Bench Person ${i}`, timezone: i % 2 ? 'Europe/Berlin' : 'Asia/Kolkata', briefHour: i % 24 }) });

    // Warm-up (JIT, caches, the database's pages), then the measured runs.
    const warm = Math.min(1, seconds);
    await timed(warm, list);
    await timed(warm, floor);
    await timed(warm, sameBytes);
    await timed(warm, reply);
    await timed(warm, profile);
    const listed = await timed(seconds, list);
    const floorRun = await timed(seconds, floor);
    const bytesRun = await timed(seconds, sameBytes);
    const replies = await timed(seconds, reply);
    const profiles = await timed(seconds, profile);

    const listRatio = listed.p95 / floorRun.p95;
    const writeRatio = replies.p50 / profiles.p50;
    const rows = [
      [`GET /api/docs/:id/threads (${info.threads} threads, ${info.comments} comments, anchors resolved)`, listed],
      ['floor: the same rows, one raw SQL query serializing them to JSON (peer)', floorRun],
      ['bare route sending the same bytes as the listing (context)', bytesRun],
      ['POST /api/threads/:id/comments', replies],
      ['PATCH /api/me (peer)', profiles],
    ] as const;
    console.log('\n## Comments (sequential round trips over loopback, same process and stack)');
    console.log('| request | n | p50 ms | p95 ms | p99 ms | mean ms | bytes |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of rows) console.log(`| ${name} | ${r.n} | ${fmt(r.p50, 2)} | ${fmt(r.p95, 2)} | ${fmt(r.p99, 2)} | ${fmt(r.mean, 2)} | ${r.bytes} |`);
    console.log(`\nListing p95 ${fmt(listed.p95, 1)} ms (goal ≤ 50 ms: ${listed.p95 <= 50 ? 'met' : 'NOT met'}), ${fmt(listRatio, 2)}× the floor's p95.`);
    console.log(
      `Adding a comment: p50 ${fmt(replies.p50, 2)} ms, ${fmt(writeRatio, 2)}× PATCH /api/me (goal ≤ 2×: ${writeRatio <= 2 ? 'met' : 'NOT met'}); p95 ${fmt(replies.p95 / profiles.p95, 2)}×.`,
    );
    return { listed, floor: floorRun, sameBytes: bytesRun, replies, profiles, listRatio, writeRatio };
  } finally {
    child.kill('SIGTERM');
  }
}
