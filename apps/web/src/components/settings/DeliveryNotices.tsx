import { useState } from 'react';
import { useDelivery, useDismissDeliveryNotice } from '../../api/queries.ts';
import { Link, matchRoute, usePath } from '../../router.tsx';
import { describeError } from '../describe-error.ts';
import type { DeliveryNotice } from './delivery-model.ts';

const CHANNEL_NAMES: Record<DeliveryNotice['channel'], string> = { email: 'E-mail', webhook: 'Chat webhook' };

/**
 * Notices of delivery channels the server turned off after failures. `banner`: every notice in
 * full (the settings page); `compact` (the app's frame): one line each with a link to the
 * settings, hidden on the settings page, which shows the banner.
 */
export function DeliveryNotices({ variant = 'compact' }: { variant?: 'compact' | 'banner' }) {
  const onSettings = matchRoute(usePath()).name === 'settings';
  const delivery = useDelivery();
  const dismiss = useDismissDeliveryNotice();
  const [failed, setFailed] = useState<{ id: string; message: string } | null>(null);
  const notices = delivery.data?.notices ?? [];
  if (notices.length === 0 || (variant === 'compact' && onSettings)) return null;

  function onDismiss(id: string) {
    setFailed(null);
    dismiss.mutate(id, { onError: (err) => setFailed({ id, message: describeError(err) }) });
  }

  return (
    <section
      className="delivery-notices"
      data-variant={variant}
      aria-label="Delivery notices"
      data-testid={variant === 'banner' ? 'delivery-notices-banner' : 'delivery-notices'}
    >
      {notices.map((notice) => {
        const dismissing = dismiss.isPending && dismiss.variables === notice.id;
        return (
          <div key={notice.id} className="delivery-notice" role="status" data-testid="delivery-notice" data-channel={notice.channel}>
            <p>
              <strong>{CHANNEL_NAMES[notice.channel]} delivery was turned off.</strong> {notice.message}
              {variant === 'compact' && (
                <>
                  {' '}
                  <Link to="/settings" data-testid="delivery-notice-settings">
                    Delivery settings
                  </Link>
                </>
              )}
            </p>
            <button
              type="button"
              className="small"
              onClick={() => onDismiss(notice.id)}
              disabled={dismissing}
              aria-label={`Dismiss the notice about ${CHANNEL_NAMES[notice.channel].toLowerCase()} delivery`}
              data-testid="delivery-notice-dismiss"
            >
              {dismissing ? 'Dismissing…' : 'Dismiss'}
            </button>
            {failed?.id === notice.id && (
              <p role="alert" className="error small-text">
                {failed.message}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}
