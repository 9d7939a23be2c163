import { fileURLToPath } from 'node:url';
import { fmt, load, startChild } from './lib.ts';

interface Ready {
  port: number;
  token: string;
  doc: string;
  patchDoc: string;
  paragraphs: number;
  docBytes: number;
}

/**
 * GET /api/docs/:id and revision-creating PATCHes against Handoff's real server stack, each beside a
 * bare Hono route served by the same process in the same run. Goal: document reads ≥ 0.5× the bare route.
 */
export async function runApiBench(seconds: number) {
  const { info, child } = await startChild<Ready>(fileURLToPath(new URL('./api-server.ts', import.meta.url)));
  try {
    const base = `http://127.0.0.1:${info.port}`;
    const auth = { authorization: `Bearer ${info.token}` };
    await load({ url: `${base}/bench/hello`, duration: 1 }); // warm-up
    await load({ url: `${base}/api/docs/${info.doc}`, headers: auth, duration: 1 });
    const hello = await load({ url: `${base}/bench/hello`, duration: seconds });
    const read = await load({ url: `${base}/api/docs/${info.doc}`, headers: auth, duration: seconds });
    const sameBytes = await load({ url: `${base}/bench/same-bytes`, duration: seconds });
    let n = 0;
    const write = await load({
      url: `${base}/api/docs/${info.patchDoc}`,
      duration: seconds,
      connections: 4,
      requests: [
        {
          method: 'PATCH',
          headers: { ...auth, 'content-type': 'application/json' },
          setupRequest: (req) => {
            n++;
            const lines = Array.from({ length: info.paragraphs }, (_, i) =>
              i === n % info.paragraphs ? `Paragraph ${i} was edited in change ${n}.` : `Paragraph ${i}: the release plan moves to Monday because QA found a sync bug; we keep the checksum proposal.`,
            );
            return { ...req, body: JSON.stringify({ markdown: lines.join('\n\n'), message: `bench ${n}` }) };
          },
        },
      ],
    });
    const ratio = read.requestsPerSec / hello.requestsPerSec;
    const rows = [
      ['bare Hono route (peer)', hello],
      [`bare Hono route, same ${info.docBytes} bytes (context)`, sameBytes],
      ['GET /api/docs/:id', read],
      ['PATCH /api/docs/:id (new revision)', write],
    ] as const;
    console.log('\n## API (autocannon, loopback, same process and stack)');
    console.log('| route | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of rows) console.log(`| ${name} | ${fmt(r.requestsPerSec, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} | ${r.non2xx} |`);
    console.log(`\nGET /api/docs/:id at ${fmt(ratio, 2)}× the bare route's requests/s (goal ≥ 0.50×: ${ratio >= 0.5 ? 'met' : 'NOT met'}).`);
    console.log(`GET /api/docs/:id at ${fmt(read.requestsPerSec / sameBytes.requestsPerSec, 2)}× a bare route sending the same ${info.docBytes} bytes.`);
    console.log(`PATCH: ${fmt(write.requestsPerSec, 0)} revisions/s (each one a Markdown → Lexical → Yjs merge and a new revision).`);
    return { hello, sameBytes, read, write, ratio };
  } finally {
    child.kill('SIGTERM');
  }
}
