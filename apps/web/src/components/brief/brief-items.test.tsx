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
  test('handoff leads, asked and thread rank right after decision, linked after watch; reasons this app does not know go to "Other changes"', () => {
    expect(primaryReason(item(['mention', 'thread']))).toBe('thread');
    expect(primaryReason(item(['thread', 'asked']))).toBe('asked');
    expect(primaryReason(item(['asked', 'decision']))).toBe('decision');
    expect(primaryReason(item(['decision', 'handoff']))).toBe('handoff');
    expect(primaryReason(item(['linked', 'watch']))).toBe('watch');
    expect(primaryReason(item(['new', 'linked']))).toBe('linked');
    expect(primaryReason(item(['handoff-of-the-future']))).toBe('other');
    expect(groupItems([item(['new']), item(['linked']), item(['handoff'])]).map((g) => g.heading)).toEqual(['Handoffs to you', 'Linked with your documents', 'New']);
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

  test('a linked item says which document of hers links to it, or which it links to', () => {
    const html = (direction: 'links-to' | 'linked-from') =>
      renderToStaticMarkup(
        <BriefItems
          items={[item(['linked'], { title: 'Sync API', linkedVia: { docId: 'd9', title: 'Mobile client plan', direction } })]}
          users={users}
          spaceNames={new Map()}
        />,
      );
    expect(html('links-to')).toContain('Changed: <em>Sync API</em>, which your <a href="/docs/d9" data-testid="brief-linked-via"><em>Mobile client plan</em></a> links to');
    expect(html('linked-from')).toContain('Changed: <em>Sync API</em>, which links to your <a href="/docs/d9" data-testid="brief-linked-via"><em>Mobile client plan</em></a>');
  });

  test('a handoff note shows who wrote it, from where, its sections and what waits on the reader', () => {
    const html = renderToStaticMarkup(
      <BriefItems
        items={[
          item(['handoff', 'asked'], {
            title: 'Handoff: sync',
            authors: ['u2'],
            handoff: {
              from: 'u2',
              timezone: 'Asia/Kolkata',
              sections: [
                { heading: 'Done', items: ['Shipped the cursor'], more: 0 },
                { heading: 'Blocked on', items: ['@ada to confirm the EU window', 'CI'], more: 2 },
              ],
            },
            asks: [{ section: 'blocked', text: 'confirm the EU window', askedBy: 'u2', askedAt: '2026-12-03T12:30:00.000Z' }],
          }),
        ]}
        users={users}
        spaceNames={new Map()}
      />,
    );
    expect(html).toContain('data-reason="handoff"');
    expect(html).toContain('Handoff from <strong>Bruno Berg</strong> (Kolkata)');
    expect(html).toContain('Done:</span> Shipped the cursor');
    expect(html).toContain('Blocked on:</span> @ada to confirm the EU window; CI<span class="muted"> and 2 more</span>');
    expect(html).toContain('Bruno Berg is blocked on you: confirm the EU window');
  });
});
