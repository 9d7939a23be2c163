import { useMemo, useState, type FormEvent } from 'react';
import { useUpdateMe } from '../api/queries.ts';
import { describeError } from '../components/describe-error.ts';
import { useSession } from '../session.tsx';

function knownTimeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // very old browsers: at least the current one and UTC
  }
  return [...new Set([current, 'UTC', ...zones])].sort();
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** The person's time zone and the hour their daily brief arrives (their local time). */
export function SettingsPage() {
  const { user } = useSession();
  const updateMe = useUpdateMe();
  const [timezone, setTimezone] = useState(user.timezone);
  const [briefHour, setBriefHour] = useState(user.briefHour);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ ok: true } | { ok: false; message: string } | null>(null);
  const zones = useMemo(() => knownTimeZones(user.timezone), [user.timezone]);
  const dirty = timezone !== user.timezone || briefHour !== user.briefHour;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setResult(null);
    try {
      await updateMe.mutateAsync({ timezone, briefHour }); // the profile everywhere follows
      setResult({ ok: true });
    } catch (err) {
      setResult({ ok: false, message: describeError(err) });
    } finally {
      setPending(false);
    }
  }

  let localNow = '';
  try {
    localNow = new Date().toLocaleTimeString(undefined, { timeZone: timezone, timeStyle: 'short' });
  } catch {
    localNow = '';
  }

  return (
    <section className="page" data-testid="settings">
      <h1>Settings</h1>
      <form className="settings-form" onSubmit={(e) => void submit(e)}>
        <label className="stacked">
          Time zone
          <select
            value={timezone}
            onChange={(e) => {
              setTimezone(e.target.value);
              setResult(null);
            }}
            data-testid="settings-timezone"
          >
            {zones.map((tz) => (
              <option key={tz} value={tz}>
                {tz.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          <small className="muted">Times across Handoff are shown in this zone{localNow && ` (it is ${localNow} there now)`}.</small>
        </label>
        <label className="stacked">
          Daily brief at
          <select
            value={briefHour}
            onChange={(e) => {
              setBriefHour(Number(e.target.value));
              setResult(null);
            }}
            data-testid="settings-brief-hour"
          >
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>
                {hourLabel(hour)}
              </option>
            ))}
          </select>
          <small className="muted">Your brief of what changed arrives at this hour of your morning, in your time zone.</small>
        </label>
        <div className="row">
          <button type="submit" className="primary" disabled={pending || !dirty} data-testid="settings-save">
            {pending ? 'Saving…' : 'Save'}
          </button>
          {result?.ok && (
            <span role="status" className="muted" data-testid="settings-saved">
              Saved.
            </span>
          )}
        </div>
        {result && !result.ok && (
          <p role="alert" className="error">
            {result.message}
          </p>
        )}
      </form>
    </section>
  );
}
