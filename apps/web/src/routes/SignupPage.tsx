import { useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../api/http.ts';
import type { SignupRequest, User } from '../api/model.ts';
import { fetchMe, login, signup } from '../api/queries.ts';
import { describeError } from '../components/describe-error.ts';
import { Link } from '../router.tsx';

/** What the form edits (the invite comes from the link). */
type SignupForm = Omit<SignupRequest, 'invite'>;

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function knownTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** The invite token of an invite link (`/signup?invite=…`), if the page was opened from one. */
function inviteFromUrl(): string | undefined {
  try {
    return new URLSearchParams(window.location.search).get('invite') || undefined;
  } catch {
    return undefined;
  }
}

export function SignupPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const invite = useMemo(inviteFromUrl, []);
  const [form, setForm] = useState<SignupForm>(() => ({
    email: '',
    name: '',
    handle: '',
    password: '',
    timezone: browserTimeZone(),
  }));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timeZones = useMemo(knownTimeZones, []);

  function field<K extends keyof SignupForm>(key: K) {
    return {
      name: key,
      value: form[key],
      onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value })),
    };
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const input: SignupRequest = {
      ...form,
      email: form.email.trim(),
      name: form.name.trim(),
      handle: form.handle.trim().replace(/^@/, ''),
      timezone: form.timezone.trim(),
      ...(invite ? { invite } : {}),
    };
    try {
      const { user } = await signup(input);
      // Sign-up answers with a token; the browser works with the session cookie, so make sure there is one.
      try {
        await fetchMe();
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 401)) throw err;
        await login(input.email, input.password);
      }
      onSignedIn(user);
    } catch (err) {
      setError(describeError(err));
      setPending(false);
    }
  }

  return (
    <main className="auth">
      <form className="card" data-testid="signup-form" onSubmit={(e) => void submit(e)}>
        <h1>Create your Handoff account</h1>
        <label>
          Email
          <input type="email" autoComplete="email" required data-testid="signup-email" {...field('email')} />
        </label>
        <label>
          Name
          <input type="text" autoComplete="name" required data-testid="signup-name" {...field('name')} />
        </label>
        <label>
          Handle
          <span className="input-prefix">
            <span aria-hidden="true">@</span>
            <input
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              data-testid="signup-handle"
              {...field('handle')}
            />
          </span>
          <small className="muted">How people mention you, as in @lena.</small>
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" required data-testid="signup-password" {...field('password')} />
        </label>
        <label>
          Time zone
          <input type="text" list="handoff-time-zones" required data-testid="signup-timezone" {...field('timezone')} />
          <small className="muted">Your daily brief arrives in your morning, in this time zone.</small>
        </label>
        <datalist id="handoff-time-zones">
          {timeZones.map((tz) => (
            <option key={tz} value={tz} />
          ))}
        </datalist>
        {error && (
          <p role="alert" className="error" data-testid="signup-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={pending} data-testid="signup-submit">
          {pending ? 'Creating account…' : 'Create account'}
        </button>
        <p className="muted">
          Already have an account? <Link to="/login">Log in</Link>
        </p>
      </form>
    </main>
  );
}
