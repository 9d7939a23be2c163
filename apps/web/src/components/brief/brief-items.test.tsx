import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import type { BriefItem, PublicUser } from '../../api/model.ts';
import { BriefItems, groupItems, primaryReason } from './BriefItems.tsx';

const item = (reasons: string[], extra: Partial<BriefItem> = {}): BriefItem => ({
  docId: 'd1',
  title: 'Launch plan',
  spaceId: 's1',
  reasons: reasons as BriefItem['reasons'],
  fromRevision: 2,
  toRevision: 3,
  authors: ['u1'],
  summary: '',
  ...extra,
});

const users = new Map<string, PublicUser>([
  ['u1', { id: 'u1', name: 'Ada Admin', handle: 'ada', timezone: 'UTC' }],
  ['u2', { id: 'u2', name: 'Bruno Berg', handle: 'bruno', timezone: 'UTC' }],
]);

describe('brief items', () => {
  test('asked and thread rank right after decision; reasons this app does not know go to "Other changes"', () => {
    expect(primaryReason(item(['mention', 'thread']))).toBe('thread');
    expect(primaryReason(item(['thread', 'asked']))).toBe('asked');
    expect(primaryReason(item(['asked', 'decision']))).toBe('decision');
    expect(primaryReason(item(['linked', 'watch']))).toBe('watch');
    expect(primaryReason(item(['handoff-of-the-future']))).toBe('other');
    const groups = groupItems([item(['new']), item(['asked']), item(['someday']), item(['thread'])]);
    expect(groups.map((g) => [g.reason, g.heading])).toEqual([
      ['asked', 'Asked you'],
      ['thread', 'Replies'],
      ['new', 'New'],
      ['other', 'Other changes'],
    ]);
  });

  test('an item about comments shows the threads, their quotes and replies, and links to the thread', () => {
    const html = renderToStaticMarkup(
      <BriefItems
        items={[
          item(['asked'], {
            fromRevision: 3,
            toRevision: 3,
            authors: [],
            diffUrl: '/docs/d1?thread=t1',
            threads: [
              {
                threadId: 't1',
                reason: 'asked',
                askedBy: 'u2',
                quote: 'on the 14th',
                orphaned: false,
                replies: [{ commentId: 'c1', authorId: 'u2', text: 'Is the date confirmed?', createdAt: '2026-12-03T08:00:00.000Z' }],
                newComments: 1,
                url: '/docs/d1?thread=t1',
              },
            ],
          }),
        ]}
        users={users}
        spaceNames={new Map([['s1', 'Launch']])}
      />,
    );
    expect(html).toContain('data-reason="asked"');
    expect(html).toContain('Bruno Berg asked you');
    expect(html).toContain('<q class="thread-quote" data-orphaned="false">on the 14th</q>');
    expect(html).toContain('Bruno Berg:</span> Is the date confirmed?');
    expect(html).toContain('href="/docs/d1?thread=t1"');
    expect(html).toContain('Open the thread');
    expect(html).toContain('Comments · in Launch');
  });
});
