import { useId, useState, type FormEvent } from 'react';
import type { User } from '../../api/model.ts';
import { useUpdateMe } from '../../api/queries.ts';
import { addDays, isLocalDate, localDateIn, shortDate, startOfLocalDay } from './local-time.ts';
import { SaveStatus } from './SaveStatus.tsx';
import { useSaveState } from './use-save-state.ts';

/** The date the person's leave ends, in their zone ('' when not away). */
function awayDate(user: User, now: number): string {
  if (!user.awayUntil) return '';
  const ms = Date.parse(user.awayUntil);
  return ms > now ? localDateIn(ms, user.timezone) : '';
}

/**
 * "I'm away until <date>": the leave ends when that day begins in the person's time zone. Briefs
 * pause meanwhile; the first one after covers the whole absence.
 */
export function AwaySection({ user }: { user: User }) {
  const updateMe = useUpdateMe();
  const save = useSaveState();
  const now = Date.now();
  const current = awayDate(user, now);
  const [date, setDate] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const tomorrow = addDays(localDateIn(now, user.timezone), 1);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isLocalDate(date)) return setError('Choose the day you are back.');
    if (date < tomorrow) return setError('Choose a day after today.');
    setError(null);
    await save.run(() => updateMe.mutateAsync({ awayUntil: startOfLocalDay(date, user.timezone) }), 'Saved: briefs pause until then.');
  }

  async function clear() {
    setError(null);
    const ok = await save.run(() => updateMe.mutateAsync({ awayUntil: null }), "Cleared: you're back.");
    if (ok) setDate('');
  }

  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} data-testid="settings-away">
      <h2 id={`${id}-title`}>Away</h2>
      <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
        {current && (
          <p className="settings-state" data-testid="settings-away-state">
            You're away until <strong>{shortDate(current, undefined, true)}</strong>. Briefs are paused.
          </p>
        )}
        <label className="stacked">
          I'm away until
          <input
            type="date"
            value={date}
            min={tomorrow}
            onChange={(e) => {
              setDate(e.target.value);
              setError(null);
              save.clear();
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            data-testid="settings-away-until"
          />
        </label>
        <small id={`${id}-hint`} className="muted settings-hint">
          The day you're back. While you're away, briefs pause; the first brief after your return covers the whole absence, most
          important first.
        </small>
        {error && (
          <p id={`${id}-error`} role="alert" className="error small-text" data-testid="settings-away-error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={save.pending || !date || date === current} data-testid="settings-away-save">
            {save.pending ? 'Saving…' : 'Save'}
          </button>
          {(current || user.awayUntil) && (
            <button type="button" onClick={() => void clear()} disabled={save.pending} data-testid="settings-away-clear">
              Clear: I'm not away
            </button>
          )}
          <SaveStatus result={save.result} testId="settings-away-saved" />
        </div>
        <SaveStatus result={save.result} errorOnly />
      </form>
    </section>
  );
}
