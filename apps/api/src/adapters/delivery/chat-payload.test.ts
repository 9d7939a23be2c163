import { describe, expect, it } from 'vitest';
import type { ChatBrief, ChatBriefItem } from '../../domain/delivery-ports.ts';
import { chatPayload } from './chat-payload.ts';

interface Block {
  type: string;
  text?: { type: string; text: string };
  elements?: Array<{ type: string; text: string }>;
}

function item(n: number, overrides: Partial<ChatBriefItem> = {}): ChatBriefItem {
  return {
    title: `Doc ${n}`,
    url: `https://handoff.test/d/${n}`,
    reasons: ['you follow this'],
    summary: `Summary of doc ${n}.`,
    ...overrides,
  };
}

function brief(overrides: Partial<ChatBrief> = {}): ChatBrief {
  return {
    readerName: 'Ana',
    headline: '3 changes since yesterday',
    briefUrl: 'https://handoff.test/brief/2026-05-04',
    items: [item(1), item(2), item(3)],
    omitted: 0,
    ...overrides,
  };
}

const blocksOf = (payload: { blocks: unknown[] }) => payload.blocks as Block[];
const sectionTexts = (payload: { blocks: unknown[] }) =>
  blocksOf(payload)
    .filter((block) => block.type === 'section')
    .map((block) => block.text!.text);

describe('chatPayload', () => {
  it('has a header, one section per item with a bold linked title, reasons and summary, and a link to the brief', () => {
    const payload = chatPayload(brief());
    const blocks = blocksOf(payload);

    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '3 changes since yesterday', emoji: true },
    });
    expect(sectionTexts(payload)).toEqual([
      '*<https://handoff.test/d/1|Doc 1>*\n_you follow this_\nSummary of doc 1.',
      '*<https://handoff.test/d/2|Doc 2>*\n_you follow this_\nSummary of doc 2.',
      '*<https://handoff.test/d/3|Doc 3>*\n_you follow this_\nSummary of doc 3.',
      '<https://handoff.test/brief/2026-05-04|Open the whole brief>',
    ]);
    expect(blocks.some((block) => block.type === 'context' && block.elements?.[0]?.text.includes('more'))).toBe(false);
  });

  it('gives a plain-text fallback listing every change with its link', () => {
    const { text } = chatPayload(brief());
    expect(text).toBe(
      [
        '3 changes since yesterday',
        'Morning brief for Ana',
        '• <https://handoff.test/d/1|Doc 1> (you follow this)',
        '• <https://handoff.test/d/2|Doc 2> (you follow this)',
        '• <https://handoff.test/d/3|Doc 3> (you follow this)',
        '<https://handoff.test/brief/2026-05-04|Open the whole brief>',
      ].join('\n'),
    );
  });

  it('escapes <, > and & in titles, reasons and summaries, so that text cannot become a link or a ping', () => {
    const payload = chatPayload(
      brief({
        readerName: 'Ana & <Bo>',
        items: [
          item(1, {
            title: 'R&D <!channel> plan',
            reasons: ['mentions <you>'],
            summary: 'Moved <https://evil.test|here> & there',
            url: 'https://handoff.test/d/1?a=1&b=<2>|3',
          }),
        ],
      }),
    );

    const [section] = sectionTexts(payload);
    expect(section).toBe(
      '*<https://handoff.test/d/1?a=1&amp;b=%3C2%3E%7C3|R&amp;D &lt;!channel&gt; plan>*\n' +
        '_mentions &lt;you&gt;_\n' +
        'Moved &lt;https://evil.test|here&gt; &amp; there',
    );
    expect(payload.text).toContain('<https://handoff.test/d/1?a=1&amp;b=%3C2%3E%7C3|R&amp;D &lt;!channel&gt; plan>');
    expect(payload.text).toContain('Morning brief for Ana &amp; &lt;Bo&gt;');
    expect(JSON.stringify(payload)).not.toContain('<!channel>');
  });

  it('shows a title without a link when its URL is not http(s)', () => {
    const [section] = sectionTexts(chatPayload(brief({ items: [item(1, { url: 'javascript:alert(1)' })] })));
    expect(section?.startsWith('*Doc 1*\n')).toBe(true);
  });

  it('shortens summaries to 300 characters and the headline to 150', () => {
    const payload = chatPayload(brief({ headline: 'H'.repeat(400), items: [item(1, { summary: 'word '.repeat(200) })] }));
    const summary = sectionTexts(payload)[0]!.split('\n')[2]!;
    expect(Array.from(summary).length).toBeLessThanOrEqual(300);
    expect(summary.endsWith('…')).toBe(true);
    expect(blocksOf(payload)[0]?.text?.text).toHaveLength(150);
  });

  it('keeps to 50 blocks and folds the rest, plus what the brief omitted, into "and N more"', () => {
    const items = Array.from({ length: 120 }, (_, index) => item(index + 1));
    const payload = chatPayload(brief({ items, omitted: 5 }));
    const blocks = blocksOf(payload);

    expect(blocks.length).toBeLessThanOrEqual(50);
    const shown = sectionTexts(payload).length - 1; // minus the link to the whole brief
    const more = blocks.find((block) => block.type === 'context' && block.elements?.[0]?.text.includes('more'));
    expect(more?.elements?.[0]?.text).toBe(`…and ${120 - shown + 5} more changes`);
    expect(blocksOf(payload).at(-1)?.text?.text).toBe('<https://handoff.test/brief/2026-05-04|Open the whole brief>');
    expect(payload.text.length).toBeLessThanOrEqual(4000);
    expect(payload.text).toMatch(/…and \d+ more changes: <https:\/\/handoff\.test\/brief\/2026-05-04\|the whole brief>$/);
  });

  it('shows "and 1 more change" for what the brief omitted', () => {
    const payload = chatPayload(brief({ omitted: 1 }));
    expect(JSON.stringify(payload.blocks)).toContain('…and 1 more change"');
  });

  it('keeps every section within 3000 characters, even for hostile lengths and escapes', () => {
    const hostile = item(1, {
      title: '&'.repeat(5000),
      reasons: Array.from({ length: 100 }, () => '<<reason>>'),
      summary: '&<>'.repeat(3000),
      url: `https://handoff.test/d/1?${'x'.repeat(2500)}`,
    });
    const payload = chatPayload(brief({ items: [hostile] }));
    for (const text of sectionTexts(payload)) expect(text.length).toBeLessThanOrEqual(3000);
  });
});
