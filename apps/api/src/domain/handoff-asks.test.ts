import { describe, expect, it } from 'vitest';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { bodyFromMarkdown } from './doc-body.ts';
import { HANDOFF_ASK_TEXT_MAX, handoffCounts, handoffItemsOf } from './handoff-asks.ts';

const known = new Set(['lena', 'bo']);
const contentOf = (markdown: string) => bodyFromMarkdown(markdown, { isKnownHandle: (h) => known.has(h) }).derived.content;

describe('handoffItemsOf', () => {
  it('reads the items of each section, headings of any level and case, nested list items and paragraphs', () => {
    const content = contentOf(
      '# Intro\n\n- not in a section @lena\n\n### BLOCKED ON:\n\n- review of the schema @lena\n  - nested ask for @bo\n\nA paragraph asking @bo too.\n\n## Decisions needed\n\n1. @lena ship Friday?\n\n## Done\n\n- migrated\n- \n',
    );
    expect(handoffItemsOf(content)).toEqual([
      { section: 'blocked', text: 'review of the schema @lena', handles: ['lena'] },
      { section: 'blocked', text: 'nested ask for @bo', handles: ['bo'] },
      { section: 'blocked', text: 'A paragraph asking @bo too.', handles: ['bo'] },
      { section: 'decisions', text: '@lena ship Friday?', handles: ['lena'] },
      { section: 'done', text: 'migrated', handles: [] },
    ]);
  });

  it('counts non-empty items; the empty template counts nothing', () => {
    expect(handoffCounts(HANDOFF_TEMPLATE_MARKDOWN)).toEqual({ done: 0, next: 0, blocked: 0, decisions: 0 });
    const markdown = '## Done\n\n- a\n- b\n  still b\n  - nested\n\n### In progress / next ##\n\nA paragraph\nwrapped.\n\n1. c\n\n# BLOCKED ON:\n\n- d @lena\n-\n\n## Handing over to\n\n- @lena\n';
    expect(handoffCounts(markdown)).toEqual({ done: 3, next: 2, blocked: 1, decisions: 0 });
    // The same as the items read from the body.
    const fromBody = { done: 0, next: 0, blocked: 0, decisions: 0 };
    for (const item of handoffItemsOf(contentOf(markdown))) if (item.section !== 'to') fromBody[item.section] += 1;
    expect(fromBody).toEqual(handoffCounts(markdown));
  });

  it('cuts an item to 500 characters and survives content that is not JSON', () => {
    const [item] = handoffItemsOf(contentOf(`## Blocked on\n\n- @lena ${'x'.repeat(2000)}\n`));
    expect(item?.text.length).toBe(HANDOFF_ASK_TEXT_MAX);
    expect(handoffItemsOf('not json')).toEqual([]);
  });
});
