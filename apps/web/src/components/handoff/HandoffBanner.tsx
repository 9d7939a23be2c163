import { useState } from 'react';
import { useHandoffDraft } from '../../api/handoff-queries.ts';
import type { Space } from '../../api/model.ts';
import { useSession } from '../../session.tsx';
import { dismissedOfferKey } from './recipients.ts';
import { handoffSpace, useWriteHandoff } from './use-write-handoff.ts';

function wasDismissed(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/**
 * The end-of-day offer, in the app only: during the last hour of her working day, until she has
 * written today's handoff, "Your day ends at 17:00 — write today's handoff?". Writing creates the
 * note from the server's draft (what she changed today) and opens it; "Not today" hides the offer
 * until tomorrow (remembered in this browser). The note goes to the space selected in the sidebar
 * (the frame passes its selection in), or the first one she may write in.
 */
export function HandoffBanner({ spaces, selectedSpaceId }: { spaces: readonly Space[] | null; selectedSpaceId: string | null }) {
  const { user } = useSession();
  const draft = useHandoffDraft();
  const { write, pending, error } = useWriteHandoff();
  const [, setDismissedNow] = useState(0);
  const data = draft.data;
  if (!data?.offer) return null;
  const key = dismissedOfferKey(user.id, data.date);
  if (wasDismissed(key)) return null;
  const space = handoffSpace(spaces, selectedSpaceId);

  function dismiss() {
    try {
      window.localStorage.setItem(key, '1');
    } catch {
      /* private mode: hidden until the page reloads */
    }
    setDismissedNow((n) => n + 1);
  }

  return (
    <aside className="handoff-banner" role="status" aria-label="Today's handoff" data-testid="handoff-banner">
      <p>
        Your day ends at {data.workEnd} — write today&apos;s handoff?
        {space && <span className="muted small-text"> It goes to {space.name}, prefilled with what you changed today.</span>}
      </p>
      <div className="row">
        <button type="button" className="primary small" disabled={!space || pending} onClick={() => space && void write(space, data.draft)} data-testid="handoff-banner-write">
          {pending ? 'Writing…' : 'Write handoff'}
        </button>
        <button type="button" className="small" onClick={dismiss} data-testid="handoff-banner-dismiss">
          Not today
        </button>
      </div>
      {error && (
        <p role="alert" className="error small-text">
          {error}
        </p>
      )}
    </aside>
  );
}
