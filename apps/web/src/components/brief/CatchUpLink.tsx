import { Link } from '../../router.tsx';
import { useBriefStatus } from './brief-status.ts';

/** The sidebar's first entry: the Catch up page, with a badge while a brief is unread. */
export function CatchUpLink({ current }: { current: boolean }) {
  const status = useBriefStatus();
  const unread = status.state === 'unread';
  return (
    <Link
      to="/catch-up"
      className="nav-item catch-up-link"
      data-testid="catch-up-link"
      data-unread={unread}
      aria-current={current ? 'page' : undefined}
    >
      <span className="nav-title">Catch up</span>
      {unread && (
        <span className="catch-up-badge" data-testid="catch-up-badge" title="A new brief is waiting">
          New<span className="visually-hidden"> brief</span>
        </span>
      )}
    </Link>
  );
}

/** A dot on the phone's menu button while a brief is unread (the sidebar is hidden there). */
export function CatchUpDot() {
  const status = useBriefStatus();
  if (status.state !== 'unread') return null;
  return (
    <span className="catch-up-dot" data-testid="catch-up-dot">
      <span className="visually-hidden">(a new brief is waiting)</span>
    </span>
  );
}
