// The working-hours form's rules, as the contract states them (LocalTimeSchema, WorkDaysSchema and
// "workStart must be before workEnd"), checked before anything is sent.

const LOCAL_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export interface WorkingHours {
  workDays: number[];
  workStart: string;
  workEnd: string;
}

export type WorkingHoursErrors = Partial<Record<keyof WorkingHours, string>>;

export function validateWorkingHours({ workDays, workStart, workEnd }: WorkingHours): WorkingHoursErrors {
  const errors: WorkingHoursErrors = {};
  if (workDays.length === 0) errors.workDays = 'Choose at least one working day.';
  if (!LOCAL_TIME.test(workStart)) errors.workStart = 'Enter a start time, like 09:00.';
  if (!LOCAL_TIME.test(workEnd)) errors.workEnd = 'Enter an end time, like 17:00.';
  else if (!errors.workStart && workStart >= workEnd) errors.workEnd = 'The working day must end after it starts.';
  return errors;
}

/** The days sorted, without repeats (how the server stores them). */
export function normalizeDays(days: readonly number[]): number[] {
  return [...new Set(days)].sort((a, b) => a - b);
}

export function sameDays(a: readonly number[], b: readonly number[]): boolean {
  const x = normalizeDays(a);
  const y = normalizeDays(b);
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

/** Whether a webhook URL is worth sending to the server (which alone decides whether it is allowed). */
export function webhookUrlProblem(value: string): string | null {
  const url = value.trim();
  if (!url) return 'Enter the webhook URL.';
  if (url.length > 2048) return 'That URL is too long (2,048 characters at most).';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'That is not a URL: it should look like https://hooks.example.com/…';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'The URL must start with https://';
  return null;
}
