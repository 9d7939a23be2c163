import { AwaySection } from '../components/settings/AwaySection.tsx';
import { DeliveryNotices } from '../components/settings/DeliveryNotices.tsx';
import { DeliverySection } from '../components/settings/DeliverySection.tsx';
import { WorkingHoursSection } from '../components/settings/WorkingHoursSection.tsx';
import { useSession } from '../session.tsx';

/**
 * The person's working hours (time zone, days, hours, the brief's hour), leave, and where the brief
 * is delivered. Each section saves on its own.
 */
export function SettingsPage() {
  const { user } = useSession();
  return (
    <section className="page settings-page" data-testid="settings">
      <h1>Settings</h1>
      <DeliveryNotices variant="banner" />
      <WorkingHoursSection user={user} />
      <AwaySection user={user} />
      <DeliverySection user={user} />
    </section>
  );
}
