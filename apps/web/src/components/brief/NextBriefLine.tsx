import { useDelivery } from '../../api/queries.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { nextBriefText } from './next-brief.ts';

/**
 * "Next brief: Tomorrow 08:00 Europe/Berlin, by e-mail and chat", or "Paused while you're away
 * until 24 Dec", with a link to change it. Says nothing until the server has answered.
 */
export function NextBriefLine({ showSettingsLink = true }: { showSettingsLink?: boolean }) {
  const { user } = useSession();
  const delivery = useDelivery();
  if (!delivery.data) return null;
  const { paused, text } = nextBriefText({
    next: delivery.data.next,
    awayUntil: user.awayUntil,
    timeZone: user.timezone,
    now: Date.now(),
  });
  return (
    <p className="next-brief small-text" data-testid="next-brief" data-paused={paused}>
      <span data-testid="next-brief-text">{text}</span>
      {showSettingsLink && (
        <>
          {' · '}
          <Link to="/settings" data-testid="next-brief-settings">
            Change
          </Link>
        </>
      )}
    </p>
  );
}
