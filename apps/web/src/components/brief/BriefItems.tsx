import type { BriefItem, BriefReason, PublicUser } from '../../api/model.ts';
import { Link, docPath } from '../../router.tsx';
import { nameOf } from '../use-users.ts';
import { BriefMarkdown } from './BriefMarkdown.tsx';
import { diffPath, itemPair } from './diff-link.ts';

/** The reasons in the order a brief ranks them, with the heading of each group. */
export const REASONS: ReadonlyArray<{ reason: BriefReason; heading: string; chip: string }> = [
  { reason: 'decision', heading: 'Decisions', chip: 'decision' },
  { reason: 'mention', heading: 'Mentions', chip: 'mentions you' },
  { reason: 'owner', heading: 'Your documents', chip: 'your document' },
  { reason: 'watch', heading: 'Watching', chip: 'watching' },
  { reason: 'new', heading: 'New', chip: 'new' },
];

const RANK = new Map(REASONS.map((r, i) => [r.reason, i]));

/** An item's strongest reason: the group it is listed in (once, even with several reasons). */
export function primaryReason(item: BriefItem): BriefReason {
  let best: BriefReason = 'new';
  for (const reason of item.reasons) if ((RANK.get(reason) ?? 99) < (RANK.get(best) ?? 99)) best = reason;
  return best;
}

/** The items grouped by their strongest reason, each group keeping the brief's (score) order. */
export function groupItems(items: BriefItem[]): Array<{ reason: BriefReason; heading: string; items: BriefItem[] }> {
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
  group: BriefReason;
  users: Map<string, PublicUser>;
  spaceName: string | undefined;
}) {
  const pair = itemPair(item);
  const isNew = item.fromRevision === 0;
  const alsoReasons = REASONS.filter((r) => r.reason !== group && item.reasons.includes(r.reason));
  const authors = peopleList([...new Set(item.authors)].map((id) => nameOf(users, id)));
  const revisions = pair.from === pair.to ? `r${pair.to}` : `r${pair.from} → r${pair.to}`;

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
        {isNew ? 'Created' : 'Changed'} by {authors}
        {spaceName && <> · in {spaceName}</>} · {revisions}
      </p>
      {item.summary && (
        <div className="brief-item-summary" data-testid="brief-item-summary">
          <BriefMarkdown markdown={item.summary} />
        </div>
      )}
      <Link to={diffPath(item.docId, pair)} className="button-link small brief-diff-link" data-testid="brief-diff-link">
        {pair.from === pair.to ? 'Open the document' : 'See the changes'}
        <span className="visually-hidden"> in {item.title}</span>
      </Link>
    </li>
  );
}
