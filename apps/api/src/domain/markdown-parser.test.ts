import { afterAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '@handoff/shared/markdown';
import { MarkdownParser } from './markdown-parser.ts';

const parser = new MarkdownParser({ inlineBelow: 1024, timeoutMs: 1500 });
afterAll(() => parser.close());

describe('MarkdownParser', () => {
  it('parses small input inline and large input in a worker, with the same tree', async () => {
    const small = '# Hi\n\nSome *text*.';
    expect(await parser.parse(small)).toEqual(parseMarkdown(small));
    const large = Array.from({ length: 300 }, (_, i) => `Paragraph ${i} with **bold** and a [link](/docs/x${i}).`).join('\n\n');
    expect(await parser.parse(large)).toEqual(parseMarkdown(large));
  });

  it('answers hostile input that would take too long with a 422 and keeps the event loop free', async () => {
    const hostile = '*a'.repeat(100_000);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    await expect(parser.parse(hostile)).rejects.toMatchObject({ status: 422 });
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(ticks).toBeGreaterThan(50);
    // The next parse gets a fresh worker.
    expect((await parser.parse('x'.repeat(2000))).type).toBe('root');
  });
});
