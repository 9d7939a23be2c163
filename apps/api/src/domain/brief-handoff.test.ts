import { describe, expect, it } from 'vitest';
import { handoffSectionsOf, MAX_SECTION_ITEMS } from './brief-handoff.ts';

describe('handoffSectionsOf', () => {
  it('reads the template sections in the note order, as plain text, skipping other headings and empty sections', () => {
    const markdown = [
      '# Handoff, Tuesday',
      'Intro paragraph not in any section.',
      '## Done',
      '- Shipped the **cursor** for [Sync API](/docs/abc)',
      '- [x] Fixed `flaky` test',
      '## In progress / next',
      '',
      '-',
      '## Blocked on',
      '1. @lena to confirm the EU window',
      '### Details',
      '- a sub-heading that is no section ends the section',
      '## Decisions needed ##',
      '* Ship 4.2 with the old engine?',
      '## Notes',
      '- free text',
      '## Handing over to',
      'Berlin team',
    ].join('\n');
    expect(handoffSectionsOf(markdown)).toEqual([
      { heading: 'Done', items: ['Shipped the cursor for Sync API', 'Fixed flaky test'], more: 0 },
      { heading: 'Blocked on', items: ['@lena to confirm the EU window'], more: 0 },
      { heading: 'Decisions needed', items: ['Ship 4.2 with the old engine?'], more: 0 },
      { heading: 'Handing over to', items: ['Berlin team'], more: 0 },
    ]);
  });

  it('keeps the first items of a long section and counts the rest', () => {
    const items = Array.from({ length: MAX_SECTION_ITEMS + 3 }, (_, i) => `- item ${i}`);
    const [done] = handoffSectionsOf(['## done', ...items].join('\n'));
    expect(done).toEqual({ heading: 'Done', items: items.slice(0, MAX_SECTION_ITEMS).map((i) => i.slice(2)), more: 3 });
  });

  it('stays fast on hostile lines', () => {
    const started = performance.now();
    handoffSectionsOf(`## Done\n${'[['.repeat(50_000)}\n${'#'.repeat(100_000)} x\n`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
