import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fmt, percentile, startChild } from './lib.ts';

interface Ready {
  port: number;
  email: string;
  password: string;
  docId: string;
  paragraphs: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic', '--disable-component-update', '--disable-sync'];

/**
 * Time to open a 5,000-paragraph document in the browser: from navigation to every paragraph in
 * the collaborative editor, synced over /api/collab. Beside it, the floor measured in the same
 * browser and run: a static page with the same 5,000 paragraphs (no JavaScript at all).
 */
export async function runEditorOpenBench(rounds = 3) {
  if (!existsSync(CHROMIUM)) {
    console.log(`\n## Editor open\nSKIPPED: ${CHROMIUM} not found (apt-get install chromium).`);
    return null;
  }
  const { info, child } = await startChild<Ready>(fileURLToPath(new URL('./editor-server.ts', import.meta.url)));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const base = `http://127.0.0.1:${info.port}`;
    const ours: number[] = [];
    const floor: number[] = [];
    const staticHtml = `<!doctype html><html><body>${Array.from({ length: info.paragraphs }, (_, i) => `<p>Paragraph ${i + 1} of a long design document: decisions, context and the reasons behind them.</p>`).join('')}</body></html>`;
    for (let r = 0; r < rounds; r++) {
      const context = await browser.newContext();
      const login = await context.request.post(`${base}/api/auth/login`, { data: { email: info.email, password: info.password } });
      if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${base}/docs/${info.docId}`);
      await page.waitForFunction((n) => document.querySelectorAll('[contenteditable] p').length >= n, info.paragraphs, { timeout: 120_000, polling: 50 });
      ours.push(Date.now() - t0);
      await context.close();

      const peer = await browser.newContext();
      const peerPage = await peer.newPage();
      await peerPage.route(`${base}/static-floor`, (route) => route.fulfill({ contentType: 'text/html', body: staticHtml }));
      const t1 = Date.now();
      await peerPage.goto(`${base}/static-floor`);
      await peerPage.waitForFunction((n) => document.querySelectorAll('p').length >= n, info.paragraphs, { timeout: 60_000, polling: 50 });
      floor.push(Date.now() - t1);
      await peer.close();
    }
    ours.sort((a, b) => a - b);
    floor.sort((a, b) => a - b);
    console.log(`\n## Editor open (${info.paragraphs} paragraphs, headless Chromium, ${rounds} rounds)`);
    console.log('| page | median ms | worst ms |');
    console.log('| --- | ---: | ---: |');
    console.log(`| static HTML, same paragraphs (floor) | ${fmt(percentile(floor, 50), 0)} | ${fmt(floor.at(-1)!, 0)} |`);
    console.log(`| Handoff document page (collab editor) | ${fmt(percentile(ours, 50), 0)} | ${fmt(ours.at(-1)!, 0)} |`);
    console.log(`\nOpening the document takes ${fmt(percentile(ours, 50) / Math.max(1, percentile(floor, 50)), 1)}× the static floor.`);
    return { oursMs: ours, floorMs: floor };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
}
