import { useId, useMemo, useState, type FormEvent } from 'react';
import type { User } from '../../api/model.ts';
import { useUpdateMe } from '../../api/queries.ts';
import { isoWeekdays } from './local-time.ts';
import { SaveStatus } from './SaveStatus.tsx';
import { useSaveState } from './use-save-state.ts';
import { normalizeDays, sameDays, validateWorkingHours, type WorkingHoursErrors } from './working-hours.ts';

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

/** Time zone, working days and hours, and the hour the brief is written: saved together. */
export function WorkingHoursSection({ user }: { user: User }) {
  const updateMe = useUpdateMe();
  const save = useSaveState();
  const [timezone, setTimezone] = useState(user.timezone);
  const [briefHour, setBriefHour] = useState(user.briefHour);
  const [workDays, setWorkDays] = useState<number[]>(user.workDays);
  const [workStart, setWorkStart] = useState(user.workStart);
  const [workEnd, setWorkEnd] = useState(user.workEnd);
  const [errors, setErrors] = useState<WorkingHoursErrors>({});
  const zones = useMemo(() => knownTimeZones(user.timezone), [user.timezone]);
  const weekdays = useMemo(() => isoWeekdays(), []);
  const id = useId();
  const dirty =
    timezone !== user.timezone ||
    briefHour !== user.briefHour ||
    !sameDays(workDays, user.workDays) ||
    workStart !== user.workStart ||
    workEnd !== user.workEnd;

  function changed() {
    save.clear();
    setErrors({});
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateWorkingHours({ workDays, workStart, workEnd });
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    await save.run(() => updateMe.mutateAsync({ timezone, briefHour, workDays: normalizeDays(workDays), workStart, workEnd }));
  }

  let localNow = '';
  try {
    localNow = new Date().toLocaleTimeString(undefined, { timeZone: timezone, timeStyle: 'short' });
  } catch {
    localNow = '';
  }

  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} data-testid="settings-working-hours">
      <h2 id={`${id}-title`}>Working hours</h2>
      <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="stacked">
          Time zone
          <select
            value={timezone}
            onChange={(e) => {
              setTimezone(e.target.value);
              changed();
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

        <fieldset className="settings-fieldset" aria-describedby={errors.workDays ? `${id}-days-error` : undefined}>
          <legend>Working days</legend>
          <div className="weekday-toggles" data-testid="settings-workdays">
            {weekdays.map((day) => {
              const on = workDays.includes(day.day);
              return (
                <label key={day.day} className="weekday-toggle" data-on={on} title={day.long}>
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => {
                      setWorkDays((days) => (e.target.checked ? normalizeDays([...days, day.day]) : days.filter((d) => d !== day.day)));
                      changed();
                    }}
                    aria-label={day.long}
                    data-testid={`settings-workday-${day.day}`}
                  />
                  <span aria-hidden="true">{day.short}</span>
                </label>
              );
            })}
          </div>
          {errors.workDays && (
            <p id={`${id}-days-error`} role="alert" className="error small-text" data-testid="settings-workdays-error">
              {errors.workDays}
            </p>
          )}
        </fieldset>

        <div className="settings-times">
          <label className="stacked">
            Start
            <input
              type="time"
              value={workStart}
              onChange={(e) => {
                setWorkStart(e.target.value);
                changed();
              }}
              aria-invalid={errors.workStart ? true : undefined}
              aria-describedby={errors.workStart ? `${id}-start-error` : undefined}
              data-testid="settings-work-start"
            />
          </label>
          <label className="stacked">
            End
            <input
              type="time"
              value={workEnd}
              onChange={(e) => {
                setWorkEnd(e.target.value);
                changed();
              }}
              aria-invalid={errors.workEnd ? true : undefined}
              aria-describedby={errors.workEnd ? `${id}-end-error` : undefined}
              data-testid="settings-work-end"
            />
          </label>
        </div>
        {errors.workStart && (
          <p id={`${id}-start-error`} role="alert" className="error small-text" data-testid="settings-work-start-error">
            {errors.workStart}
          </p>
        )}
        {errors.workEnd && (
          <p id={`${id}-end-error`} role="alert" className="error small-text" data-testid="settings-work-end-error">
            {errors.workEnd}
          </p>
        )}
        <p className="muted small-text">Handoff never delivers anything outside these hours, on other days or while you're away.</p>

        <label className="stacked">
          Daily brief at
          <select
            value={briefHour}
            onChange={(e) => {
              setBriefHour(Number(e.target.value));
              changed();
            }}
            data-testid="settings-brief-hour"
          >
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>
                {hourLabel(hour)}
              </option>
            ))}
          </select>
          <small className="muted">
            Your brief of what changed is written at this hour, in your time zone, and delivered at the start of your next working
            hours.
          </small>
        </label>

        <div className="row">
          <button type="submit" className="primary" disabled={save.pending || !dirty} data-testid="settings-save">
            {save.pending ? 'Saving…' : 'Save working hours'}
          </button>
          <SaveStatus result={save.result} testId="settings-saved" />
        </div>
        <SaveStatus result={save.result} errorOnly />
      </form>
    </section>
  );
}
