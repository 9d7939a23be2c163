// Worker thread for markdown-parser.ts: parses Markdown into an mdast tree. Plain JavaScript so
// that it needs no TypeScript loader; it must parse exactly as `parseMarkdown` in
// @handoff/shared/markdown does (markdown-parser.test.ts compares the two).
import { parentPort } from 'node:worker_threads';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

parentPort.on('message', (message) => {
  try {
    const tree = fromMarkdown(message.markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    parentPort.postMessage({ id: message.id, tree });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: err instanceof Error ? err.message : String(err) });
  }
});

// Loaded: the pool starts a parse's time budget only now, so start-up never counts against it.
parentPort.postMessage({ ready: true });
