import type { BriefItem, PublicUser } from '../../api/model.ts';
import { Link, docPath } from '../../router.tsx';
import { nameOf } from '../use-users.ts';

type Handoff = NonNullable<BriefItem['handoff']>;
type Ask = NonNullable<BriefItem['asks']>[number];
type LinkedVia = NonNullable<BriefItem['linkedVia']>;

/** "Asia/Kolkata" → "Kolkata": where the note's writer is. */
export function placeOf(timezone: string): string {
  return (timezone.split('/').pop() ?? timezone).replace(/_/g, ' ');
}

/** A handoff note in a brief: who wrote it, from where, and its sections, one line each. */
export function BriefHandoff({ handoff, users }: { handoff: Handoff; users: Map<string, PublicUser> }) {
  return (
    <div className="brief-handoff" data-testid="brief-handoff">
      <p className="small-text">
        <span className="brief-chip" data-reason="handoff">
          handoff
        </span>{' '}
        Handoff from <strong>{nameOf(users, handoff.from)}</strong> ({placeOf(handoff.timezone)})
      </p>
      {handoff.sections.length > 0 && (
        <ul className="brief-thread-replies small-text">
          {handoff.sections.map((section) => (
            <li key={section.heading} data-testid="brief-handoff-section">
              <span className="comment-author">{section.heading}:</span> {section.items.join('; ')}
              {section.more > 0 && <span className="muted"> and {section.more} more</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** "Priya Raman is blocked on you: …" / "… needs a decision from you: …". */
export function askLine(ask: Ask, users: Map<string, PublicUser>): string {
  const who = nameOf(users, ask.askedBy);
  return `${who} ${ask.section === 'blocked' ? 'is blocked on you' : 'needs a decision from you'}: ${ask.text}`;
}

export function BriefAsks({ asks, users }: { asks: Ask[]; users: Map<string, PublicUser> }) {
  return (
    <ul className="brief-thread-replies small-text" data-testid="brief-asks">
      {asks.map((ask) => (
        <li key={`${ask.section}-${ask.text}`} data-section={ask.section}>
          <span className="brief-chip" data-reason="asked">
            asked you
          </span>{' '}
          {askLine(ask, users)}
        </li>
      ))}
    </ul>
  );
}

/** "Changed: Sync API, which your Mobile client plan links to" (or "…, which links to your …"). */
export function BriefLinkedLine({ title, isNew, via }: { title: string; isNew: boolean; via: LinkedVia }) {
  const yours = (
    <Link to={docPath(via.docId)} data-testid="brief-linked-via">
      <em>{via.title || 'Untitled'}</em>
    </Link>
  );
  return (
    <p className="brief-item-meta small-text" data-testid="brief-linked">
      {isNew ? 'New' : 'Changed'}: <em>{title || 'Untitled'}</em>,{' '}
      {via.direction === 'links-to' ? <>which your {yours} links to</> : <>which links to your {yours}</>}
    </p>
  );
}
