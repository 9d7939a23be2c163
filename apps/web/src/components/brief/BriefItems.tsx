import type { BriefItem, BriefReason, PublicUser } from '../../api/model.ts';
import { Link, docPath } from '../../router.tsx';
import { nameOf } from '../use-users.ts';
import { safeDocHref } from './brief-markdown.ts';
import { BriefMarkdown } from './BriefMarkdown.tsx';
import { BriefThreads } from './BriefThreads.tsx';
import { BriefAsks, BriefHandoff, BriefLinkedLine } from './BriefHandoff.tsx';
import { diffPath, itemPair } from './diff-link.ts';

/**
 * The reasons the page knows: the contract's. `other` groups items whose reasons are all unknown
 * to this version of the app (a newer server's), so none is lost.
 */
export type ShownReason = BriefReason | 'other';

/** The reasons in the order a brief ranks them, with the heading of each group. */
export const REASONS: ReadonlyArray<{ reason: ShownReason; heading: string; chip: string }> = [
  { reason: 'handoff', heading: 'Handoffs to you', chip: 'handoff' },
  { reason: 'decision', heading: 'Decisions', chip: 'decision' },
  { reason: 'asked', heading: 'Asked you', chip: 'asked you' },
  { reason: 'thread', heading: 'Replies', chip: 'replies' },
  { reason: 'mention', heading: 'Mentions', chip: 'mentions you' },
  { reason: 'owner', heading: 'Your documents', chip: 'your document' },
  { reason: 'watch', heading: 'Watching', chip: 'watching' },
  { reason: 'linked', heading: 'Linked with your documents', chip: 'linked to yours' },
  { reason: 'new', heading: 'New', chip: 'new' },
  { reason: 'other', heading: 'Other changes', chip: 'other' },
];

const RANK = new Map<string, number>(REASONS.map((r, i) => [r.reason, i]));

/** An item's strongest reason: the group it is listed in (once, even with several reasons). */
export function primaryReason(item: BriefItem): ShownReason {
  const reasons = item.reasons as readonly string[];
  if (reasons.length === 0) return 'new';
  let best: ShownReason = 'other';
  for (const reason of reasons) {
    const rank = RANK.get(reason);
    if (rank !== undefined && reason !== 'other' && rank < (RANK.get(best) ?? 99)) best = reason as ShownReason;
  }
  return best;
}

/** The items grouped by their strongest reason, each group keeping the brief's (score) order. */
export function groupItems(items: BriefItem[]): Array<{ reason: ShownReason; heading: string; items: BriefItem[] }> {
  return REASONS.map(({ reason, heading }) => ({
    reason,
    heading,
    items: items.filter((item) => primaryReason(item) === reason),
  })).filter((group) => group.items.length > 0);
}

/** "Marcus Chen", "Marcus Chen and Sam Rivera", "A, B and 2 others". */
export function peopleList(names: string[]): string {
  if (names.length === 0) return 'someone';
  if (names.length <= 2) return names.join(' and ');
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`;
}

export function BriefItems({
  items,
  users,
  spaceNames,
}: {
  items: BriefItem[];
  users: Map<string, PublicUser>;
  spaceNames: Map<string, string>;
}) {
  return (
    <div className="brief-groups">
      {groupItems(items).map((group) => (
        <section key={group.reason} className="brief-group" data-testid="brief-group" data-reason={group.reason}>
          <h2 className="brief-group-head">
            {group.heading} <span className="brief-count">{group.items.length}</span>
          </h2>
          <ol className="brief-list">
            {group.items.map((item) => (
              <BriefItemCard
                key={`${item.docId}-${item.toRevision}`}
                item={item}
                group={group.reason}
                users={users}
                spaceName={spaceNames.get(item.spaceId)}
              />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

function BriefItemCard({
  item,
  group,
  users,
  spaceName,
}: {
  item: BriefItem;
  group: ShownReason;
  users: Map<string, PublicUser>;
  spaceName: string | undefined;
}) {
  const pair = itemPair(item);
  const isNew = item.fromRevision === 0;
  const alsoReasons = REASONS.filter((r) => r.reason !== group && (item.reasons as readonly string[]).includes(r.reason));
  const authors = peopleList([...new Set(item.authors)].map((id) => nameOf(users, id)));
  const revisions = pair.from === pair.to ? `r${pair.to}` : `r${pair.from} → r${pair.to}`;
  const threads = item.threads ?? [];
  const asks = item.asks ?? [];
  // An item only about comments (no change of the body) links to its first thread.
  const commentsOnly = pair.from === pair.to && item.authors.length === 0 && threads.length > 0;
  const asksOnly = pair.from === pair.to && item.authors.length === 0 && threads.length === 0 && asks.length > 0;
  const threadLink = commentsOnly && item.diffUrl?.includes('thread=') ? safeDocHref(item.diffUrl) : null;

  return (
    <li
      className="brief-item"
      data-testid="brief-item"
      data-doc-id={item.docId}
      data-reasons={item.reasons.join(' ')}
      data-from={pair.from}
      data-to={pair.to}
    >
      <div className="brief-item-head">
        <Link to={docPath(item.docId)} className="brief-item-title" data-testid="brief-item-title">
          {item.title || 'Untitled'}
        </Link>
        {alsoReasons.map((r) => (
          <span key={r.reason} className="brief-chip" data-reason={r.reason}>
            {r.chip}
          </span>
        ))}
      </div>
      <p className="brief-item-meta muted small-text" data-testid="brief-item-authors">
        {commentsOnly ? 'Comments' : asksOnly ? 'Waiting on you' : <>{isNew ? 'Created' : 'Changed'} by {authors}</>}
        {spaceName && <> · in {spaceName}</>}
        {!commentsOnly && !asksOnly && <> · {revisions}</>}
      </p>
      {item.linkedVia && <BriefLinkedLine title={item.title} isNew={isNew} via={item.linkedVia} />}
      {item.handoff && <BriefHandoff handoff={item.handoff} users={users} />}
      {asks.length > 0 && <BriefAsks asks={asks} users={users} />}
      {item.summary && (
        <div className="brief-item-summary" data-testid="brief-item-summary">
          <BriefMarkdown markdown={item.summary} />
        </div>
      )}
      {threads.length > 0 && <BriefThreads threads={threads} others={item.otherThreads ?? 0} users={users} />}
      <Link to={threadLink ?? diffPath(item.docId, pair)} className="button-link small brief-diff-link" data-testid="brief-diff-link">
        {threadLink ? 'Open the thread' : pair.from === pair.to ? 'Open the document' : 'See the changes'}
        <span className="visually-hidden"> in {item.title}</span>
      </Link>
    </li>
  );
}
